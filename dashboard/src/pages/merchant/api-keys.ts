// API keys, the pattern every page follows: a list from the API (useCursorList + PagedTable),
// changes through api() with their errors in an ErrorBanner, a confirm before what cannot be
// undone, then a reload of the list.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { api } from "../../api";
import type { ApiKey, IssuedApiKey } from "../../api-types";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { CopyButton } from "../../components/copy-button";
import { type Column, PagedTable } from "../../components/data-table";
import { ErrorBanner } from "../../components/error-banner";
import { Time } from "../../components/time";
import { useSession } from "../../session";
import { useCursorList } from "../../use-api";
import { useChange } from "../../use-change";

const PATH = "/api/v1/merchant/api-keys";

export function ApiKeysPage() {
  const { livemode } = useSession();
  const keys = useCursorList<ApiKey>(PATH);
  const [issued, setIssued] = useState<IssuedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const { busy, error, run } = useChange();
  const mode = livemode ? "live" : "test";

  /** Runs a change: one at a time, its failure shown, the list reloaded after. */
  const change = (action: () => Promise<void>) =>
    run(async () => {
      await action();
      keys.reload();
    });
  const create = () => change(async () => setIssued(await api<IssuedApiKey>(PATH, { method: "POST" })));
  const revoke = () => {
    const key = revoking!;
    setRevoking(null);
    return change(async () => {
      await api(`${PATH}/${key.id}/revoke`, { method: "POST" });
    });
  };

  const columns: Column<ApiKey>[] = [
    { header: "Key", cell: (key) => html`<code>${key.prefix}…</code>` },
    { header: "Created", cell: (key) => html`<${Time} value=${key.created_at} />` },
    { header: "Last used", cell: (key) => html`<${Time} value=${key.last_used_at} fallback="Never" />` },
    {
      header: "Status",
      cell: (key) =>
        key.revoked_at
          ? html`<span class="badge badge-muted">Revoked <${Time} value=${key.revoked_at} /></span>`
          : html`<span class="badge badge-ok">Active</span>`,
    },
    {
      header: "Actions",
      cell: (key) =>
        !key.revoked_at &&
        html`<button type="button" class="danger" disabled=${busy} onClick=${() => setRevoking(key)}
          aria-label=${`Revoke ${key.prefix}…`}>Revoke</button>`,
    },
  ];
  // The API lists both modes' keys; the page manages those of the mode shown, as it issues in it.
  const list = { ...keys, rows: keys.rows?.filter((key) => key.livemode === livemode) };

  return html`<section>
    <header class="page-header">
      <h1>API keys</h1>
      <button type="button" class="primary" disabled=${busy} onClick=${create}>Create ${mode} key</button>
    </header>
    <p>Your code calls the API with these keys. Each works in one mode; a revoked key stops working at once.</p>
    <${ErrorBanner} error=${error} />
    ${issued &&
    html`<div class="panel secret" role="region" aria-label="New key">
      <h2>Your new ${issued.livemode ? "live" : "test"} key</h2>
      <p>Copy it now and keep it somewhere safe: it is not shown again.</p>
      <p><code class="secret-value">${issued.secret}</code></p>
      <div class="actions">
        <${CopyButton} text=${issued.secret} />
        <button type="button" onClick=${() => setIssued(null)}>Done</button>
      </div>
    </div>`}
    <${PagedTable} list=${list} caption=${`Your ${mode} keys`} columns=${columns} rowKey=${(key: ApiKey) => key.id} empty="No keys in this mode." />
    <${ConfirmDialog}
      open=${revoking !== null}
      title="Revoke this key?"
      confirmLabel="Revoke key"
      onConfirm=${revoke}
      onCancel=${() => setRevoking(null)}
    >
      <p>Anything still using <code>${revoking?.prefix}…</code> is refused from now on. This cannot be undone.</p>
    </${ConfirmDialog}>
  </section>`;
}
