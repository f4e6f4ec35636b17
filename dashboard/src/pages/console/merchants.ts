// The console's start page: every merchant, searched and filtered by status, a page at a time; and
// a new merchant, whose test and live keys are shown once, as the API answers them once.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { api } from "../../api";
import type { IssuedApiKey } from "../../api-types";
import { CopyButton } from "../../components/copy-button";
import { type Column, PagedTable } from "../../components/data-table";
import { ErrorBanner } from "../../components/error-banner";
import { SelectField, TextField } from "../../components/field";
import { StatusBadge } from "../../components/status-badge";
import { Time } from "../../components/time";
import { BASE } from "../../paths";
import { useCursorList } from "../../use-api";
import { useChange, useMayPost } from "../../use-change";
import { FilterForm, useFilters } from "./filters";

export interface Merchant {
  id: string;
  object: "merchant";
  name: string;
  email: string;
  status: "active" | "suspended";
  created_at: string;
}

interface CreatedMerchant {
  merchant: Merchant;
  api_keys: { test: IssuedApiKey; live: IssuedApiKey };
}

export const MERCHANTS_PATH = "/api/v1/admin/merchants";
export const merchantHref = (id: string) => `${BASE}/console/merchants/${encodeURIComponent(id)}`;

const STATUS_OPTIONS = [
  { value: "", label: "Any status" },
  { value: "active", label: "Active" },
  { value: "suspended", label: "Suspended" },
];

const columns: Column<Merchant>[] = [
  { header: "Merchant", cell: (m) => html`<a href=${merchantHref(m.id)}>${m.name}</a>` },
  { header: "Email", cell: (m) => m.email },
  { header: "ID", cell: (m) => html`<code>${m.id}</code>` },
  { header: "Status", cell: (m) => html`<${StatusBadge} status=${m.status} />` },
  { header: "Created", cell: (m) => html`<${Time} value=${m.created_at} />` },
];

export function MerchantsPage() {
  const mayChange = useMayPost()(MERCHANTS_PATH);
  const filters = useFilters({ q: "", status: "" });
  const merchants = useCursorList<Merchant>(MERCHANTS_PATH, { query: filters.applied });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedMerchant | null>(null);

  return html`<section class="console-page">
    <header class="page-header">
      <h1>Merchants</h1>
      ${mayChange &&
      !creating &&
      html`<button type="button" class="primary" onClick=${() => setCreating(true)}>New merchant</button>`}
    </header>
    ${creating &&
    html`<${CreateMerchant}
      onCreated=${(answer: CreatedMerchant) => {
        setCreating(false);
        setCreated(answer);
        merchants.reload();
      }}
      onCancel=${() => setCreating(false)}
    />`}
    ${created && html`<${IssuedKeys} created=${created} onDone=${() => setCreated(null)} />`}
    <${FilterForm} label="Search merchants" submitLabel="Search" onApply=${filters.apply}>
      <${TextField} label="Search" type="search" name="q" hint="A merchant's id, or the start of its name or email." ...${filters.typed("q")} />
      <${SelectField} label="Status" name="status" options=${STATUS_OPTIONS} ...${filters.chosen("status")} />
    </${FilterForm}>
    <${PagedTable}
      list=${merchants}
      caption="Merchants, newest first"
      columns=${columns}
      rowKey=${(m: Merchant) => m.id}
      empty="No merchant matches."
    />
  </section>`;
}

function CreateMerchant({ onCreated, onCancel }: { onCreated: (created: CreatedMerchant) => void; onCancel: () => void }) {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const { busy, error, run } = useChange();
  const submit = (event: Event) => {
    event.preventDefault();
    run(async () => onCreated(await api<CreatedMerchant>(MERCHANTS_PATH, { method: "POST", body: { name, email } })));
  };
  return html`<form class="panel" aria-labelledby="new-merchant" onSubmit=${submit}>
    <h2 id="new-merchant">New merchant</h2>
    <${ErrorBanner} error=${error} />
    <${TextField} label="Name" name="name" required value=${name} onValue=${setName} />
    <${TextField} label="Email" type="email" name="email" required value=${email} onValue=${setEmail}
      hint="Where the platform writes to the merchant." />
    <div class="actions">
      <button type="submit" class="primary" disabled=${busy}>${busy ? "Creating…" : "Create merchant"}</button>
      <button type="button" onClick=${onCancel}>Cancel</button>
    </div>
  </form>`;
}

function IssuedKeys({ created, onDone }: { created: CreatedMerchant; onDone: () => void }) {
  const { merchant, api_keys } = created;
  return html`<div class="panel secret" role="region" aria-label="New merchant's keys">
    <h2>${merchant.name} is created</h2>
    <p>Its API keys, one per mode. Copy them now and hand them to the merchant safely: they are not shown again.</p>
    ${[api_keys.test, api_keys.live].map((key) => {
      const mode = key.livemode ? "live" : "test";
      return html`<div class="console-issued-key" key=${key.id}>
        <h3>The ${mode} key</h3>
        <p><code class="secret-value">${key.secret}</code></p>
        <div class="actions"><${CopyButton} text=${key.secret} label=${`Copy ${mode} key`} /></div>
      </div>`;
    })}
    <div class="actions">
      <a href=${merchantHref(merchant.id)}>Open ${merchant.name} to add its first owner</a>
      <button type="button" onClick=${onDone}>Done</button>
    </div>
  </div>`;
}
