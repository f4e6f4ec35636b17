// One merchant, as operators see it: its details and status (suspend, reactivate), the people who
// sign in to its dashboard (add its first owner), and its routing in the mode shown, read-only (the
// merchant's own routing views, pointed at the admin routes).
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { type List, api } from "../../api";
import type { DashboardUser } from "../../api-types";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { type Column, DataTable, PagedTable } from "../../components/data-table";
import { DetailsList } from "../../components/details-list";
import { ErrorBanner } from "../../components/error-banner";
import { SelectField, TextField } from "../../components/field";
import { StatusBadge } from "../../components/status-badge";
import { Time } from "../../components/time";
import { BASE } from "../../paths";
import { useSession } from "../../session";
import { useApiGet, useCursorList } from "../../use-api";
import { useChange, useMayPost } from "../../use-change";
import { ActiveBadge } from "../merchant/routing";
import { ConfigView } from "../merchant/routing-config-view";
import { RoutingHealth } from "../merchant/routing-health";
import type { ConfigVersion } from "../merchant/routing-types";
import { MERCHANTS_PATH, type Merchant } from "./merchants";

type StatusChange = "suspend" | "reactivate";

export function MerchantPage({ merchantId }: { merchantId: string }) {
  const path = `${MERCHANTS_PATH}/${encodeURIComponent(merchantId)}`;
  const merchant = useApiGet<Merchant>(path);
  const m = merchant.data;

  if (!m) {
    return html`<section class="console-page">
      <h1>Merchant</h1>
      <${ErrorBanner} error=${merchant.error} />
      ${merchant.loading && html`<p class="loading" role="status">Loading…</p>`}
    </section>`;
  }
  const byMerchant = `merchant_id=${encodeURIComponent(m.id)}`;
  return html`<section class="console-page">
    <p class="console-breadcrumb"><a href=${`${BASE}/console`}>Merchants</a></p>
    <${Status} merchant=${m} path=${path} onChanged=${merchant.reload} />
    <${DetailsList}
      label="Details"
      rows=${[
        ["ID", html`<code>${m.id}</code>`],
        ["Email", m.email],
        ["Created", html`<${Time} value=${m.created_at} />`],
      ]}
    />
    <p class="actions">
      <a href=${`${BASE}/console/payments?${byMerchant}`}>Its payments</a>
      <a href=${`${BASE}/console/audit-log?${byMerchant}`}>Its audit log</a>
    </p>
    <${Users} path=${`${path}/users`} />
    <${Routing} path=${`${path}/routing`} />
  </section>`;
}

/** The heading with the status, and the button that changes it after a confirm. */
function Status({ merchant, path, onChanged }: { merchant: Merchant; path: string; onChanged: () => void }) {
  const [confirming, setConfirming] = useState<StatusChange | null>(null);
  const [outcome, setOutcome] = useState("");
  const { busy, error, run } = useChange();
  const change: StatusChange = merchant.status === "active" ? "suspend" : "reactivate";
  const mayChange = useMayPost()(`${path}/${change}`);

  const confirm = () => {
    setConfirming(null);
    setOutcome("");
    run(async () => {
      const changed = await api<Merchant>(`${path}/${change}`, { method: "POST" });
      setOutcome(
        changed.status === "suspended"
          ? `${changed.name} is suspended: its API keys and its people's sessions are refused.`
          : `${changed.name} is active again: its API keys work.`,
      );
      onChanged();
    });
  };

  return html`<header class="page-header">
      <h1 class="console-title">${merchant.name} <${StatusBadge} status=${merchant.status} /></h1>
      ${mayChange &&
      html`<button type="button" class=${change === "suspend" ? "danger" : "primary"} disabled=${busy} onClick=${() => setConfirming(change)}>
        ${change === "suspend" ? "Suspend" : "Reactivate"}
      </button>`}
    </header>
    <${ErrorBanner} error=${error} />
    <p role="status" class="outcome">${outcome}</p>
    <${ConfirmDialog}
      open=${confirming === "suspend"}
      title=${`Suspend ${merchant.name}?`}
      confirmLabel="Suspend merchant"
      onConfirm=${confirm}
      onCancel=${() => setConfirming(null)}
    >
      <p>Its API keys and its people's dashboard sessions are refused until it is reactivated. Its payments keep settling
        and its notifications keep being delivered.</p>
    </${ConfirmDialog}>
    <${ConfirmDialog}
      open=${confirming === "reactivate"}
      title=${`Reactivate ${merchant.name}?`}
      confirmLabel="Reactivate merchant"
      onConfirm=${confirm}
      onCancel=${() => setConfirming(null)}
    >
      <p>Its API keys and its people can call the platform again at once.</p>
    </${ConfirmDialog}>`;
}

const ROLE_OPTIONS = [
  { value: "owner", label: "Owner: everything" },
  { value: "developer", label: "Developer: reads, API keys, webhooks" },
  { value: "analyst", label: "Analyst: reads only" },
];

const userColumns: Column<DashboardUser>[] = [
  { header: "Email", cell: (u) => u.email },
  { header: "Role", cell: (u) => u.role },
  { header: "Added", cell: (u) => html`<${Time} value=${u.created_at} />` },
];

/** The people who sign in to the merchant's dashboard, and the form that adds one. */
function Users({ path }: { path: string }) {
  const mayChange = useMayPost()(path);
  const users = useApiGet<List<DashboardUser>>(path);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState("owner");
  const [added, setAdded] = useState("");
  const { busy, error, run } = useChange();

  const add = (event: Event) => {
    event.preventDefault();
    setAdded("");
    run(async () => {
      const user = await api<DashboardUser>(path, { method: "POST", body: { email, password, role } });
      setAdded(`${user.email} can now sign in as ${user.role}.`);
      setEmail("");
      setPassword("");
      users.reload();
    });
  };

  return html`<section class="console-section" aria-labelledby="users-heading">
    <h2 id="users-heading">Dashboard users</h2>
    <${ErrorBanner} error=${users.error} />
    ${users.data &&
    html`<${DataTable}
      caption="People who sign in to this merchant's dashboard"
      columns=${userColumns}
      rows=${users.data.data}
      rowKey=${(u: DashboardUser) => u.id}
      empty="No one yet: add its first owner."
    />`}
    ${mayChange &&
    html`<form class="panel" aria-labelledby="add-user-heading" onSubmit=${add}>
      <h3 id="add-user-heading">Add a user</h3>
      <${ErrorBanner} error=${error} />
      <${TextField} label="Email" type="email" name="email" autocomplete="off" required value=${email} onValue=${setEmail} />
      <${TextField} label="Password" type="password" name="password" autocomplete="new-password" required value=${password}
        onValue=${setPassword} hint="12 characters at least. Hand it over safely; they sign in with it." />
      <${SelectField} label="Role" name="role" options=${ROLE_OPTIONS} value=${role} onValue=${setRole} />
      <div class="actions">
        <button type="submit" class="primary" disabled=${busy}>${busy ? "Adding…" : "Add user"}</button>
        <span role="status">${added}</span>
      </div>
    </form>`}
  </section>`;
}

const configColumns: Column<ConfigVersion>[] = [
  { header: "Version", numeric: true, cell: (v) => v.version },
  { header: "Name", cell: (v) => v.name },
  {
    header: "State",
    cell: (v) => html`<${ActiveBadge} version=${v} />`,
  },
  { header: "Created", cell: (v) => html`<${Time} value=${v.created_at} />` },
  { header: "Last activated", cell: (v) => html`<${Time} value=${v.activated_at} fallback="Never" />` },
];

/** The merchant's routing in the mode shown, as its own routing page shows it: versions, the one in use, channel health. */
function Routing({ path }: { path: string }) {
  const { livemode } = useSession();
  const mode = livemode ? "live" : "test";
  const configs = useCursorList<ConfigVersion>(`${path}/configs`, { query: { livemode } });
  // the version in use, when it is on the page of versions shown
  const active = configs.rows?.find((version) => version.active);
  return html`<section class="console-section" aria-labelledby="routing-heading">
      <h2 id="routing-heading">Routing configuration (${mode} mode)</h2>
      <${PagedTable}
        list=${configs}
        caption=${`Routing configuration versions, ${mode} mode`}
        columns=${configColumns}
        rowKey=${(v: ConfigVersion) => v.id}
        empty="No configuration: its payments go to its default channel."
      />
      ${active &&
      html`<h3>In use: version ${active.version}, “${active.name}”</h3>
        <${ConfigView} config=${active.config} />`}
    </section>
    <section class="console-section">
      <${RoutingHealth} path=${`${path}/health`} query=${{ livemode }} />
    </section>`;
}
