// Sign-ins and every change a person or the admin token made, newest first, by merchant and by
// actor. A merchant's page links here with its merchant_id filled in.
import { html } from "htm/preact";
import { type Column, PagedTable } from "../../components/data-table";
import { TextField } from "../../components/field";
import { Time } from "../../components/time";
import { useCursorList } from "../../use-api";
import { FilterForm, useFilters } from "./filters";
import { merchantHref } from "./merchants";

interface AuditEntry {
  id: string;
  object: "audit_entry";
  created_at: string;
  actor: { type: "user" | "operator" | "admin_token" | "anonymous"; id: string | null; email: string | null };
  merchant_id: string | null;
  livemode: boolean | null;
  action: string;
  target: string;
  status: number;
  ip: string | null;
  request_id: string | null;
}

/** Text that may break before each `at` (a path's slashes, an email's @) and nowhere else: its pieces stay whole. */
const breakable = (text: string, at = "/") => text.split(at).map((part, i) => (i === 0 ? part : html`<wbr />${at}${part}`));

const ACTOR = { user: "Merchant user", operator: "Operator", admin_token: "Admin token", anonymous: "Anonymous" } as const;

/** The log's columns; a person's email filters the log by them. */
const columnsFor = (onActor: (id: string) => void): Column<AuditEntry>[] => [
  { header: "Time", cell: (e) => html`<${Time} value=${e.created_at} />` },
  {
    header: "Actor",
    cell: ({ actor }) => html`${ACTOR[actor.type]}
      ${actor.email &&
      html`<br />${actor.id
          ? html`<button type="button" class="console-link-button" title="Only this person's entries" onClick=${() => onActor(actor.id!)}>
              ${breakable(actor.email, "@")}
            </button>`
          : breakable(actor.email, "@")}`}`,
  },
  { header: "Action", cell: (e) => html`<code class="console-wrap">${breakable(e.action)}</code>` },
  { header: "Target", cell: (e) => html`<code class="console-wrap">${breakable(e.target)}</code>` },
  {
    header: "Status",
    numeric: true,
    cell: (e) => html`<span class=${`badge ${e.status < 400 ? "badge-ok" : "badge-danger"}`}>${e.status}</span>`,
  },
  {
    header: "Merchant",
    cell: (e) => (e.merchant_id ? html`<a href=${merchantHref(e.merchant_id)}><code>${e.merchant_id}</code></a>` : "—"),
  },
  { header: "IP", cell: (e) => e.ip ?? "—" },
];

export function AuditLogPage({ query }: { query: Record<string, string> }) {
  const filters = useFilters({ merchant_id: query.merchant_id ?? "", actor_id: query.actor_id ?? "" });
  const entries = useCursorList<AuditEntry>("/api/v1/admin/audit-log", { query: filters.applied });
  const columns = columnsFor(filters.chosen("actor_id").onValue);
  return html`<section class="console-page">
    <h1>Audit log</h1>
    <p>Every sign-in and every change made by a person or the admin token, with what the platform answered.</p>
    <${FilterForm} label="Filter the audit log" onApply=${filters.apply}>
      <${TextField} label="Merchant ID" name="merchant_id" ...${filters.typed("merchant_id")} />
      <${TextField} label="Actor ID" name="actor_id" hint="A person's id (usr_…)." ...${filters.typed("actor_id")} />
    </${FilterForm}>
    <${PagedTable}
      list=${entries}
      caption="Audit log, newest first"
      columns=${columns}
      rowKey=${(e: AuditEntry) => e.id}
      empty="No entry matches."
    />
  </section>`;
}
