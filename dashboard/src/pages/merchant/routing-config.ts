// One version of the routing configuration: what it says, a dry run of it, and for owners Edit
// (a new version from this one) and Activate (after a confirm).
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api } from "../../api";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { ErrorBanner } from "../../components/error-banner";
import { Time } from "../../components/time";
import { BASE } from "../../paths";
import { useSession } from "../../session";
import { useApiGet } from "../../use-api";
import { useChange } from "../../use-change";
import { ActiveBadge, versionHref } from "./routing";
import { ConfigView } from "./routing-config-view";
import { ConfigEditor } from "./routing-editor";
import { RoutingDryRun } from "./routing-evaluate";
import { CONFIGS_PATH, type ConfigVersion } from "./routing-types";

export function RoutingConfigPage({ id }: { id: string }) {
  const { user, livemode } = useSession();
  const { query, route } = useLocation();
  const loaded = useApiGet<ConfigVersion>(`${CONFIGS_PATH}/${encodeURIComponent(id)}`);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [activated, setActivated] = useState<number | null>(null);
  const { busy, error, run } = useChange();
  const owner = user.role === "owner";
  // the answer for another version (before a save's navigation lands) is not this page's
  const version = loaded.data?.id === id ? loaded.data : undefined;

  const activate = () => {
    setConfirming(false);
    return run(async () => {
      const now = await api<ConfigVersion>(`${CONFIGS_PATH}/${encodeURIComponent(id)}/activate`, { method: "POST" });
      setActivated(now.version);
      loaded.reload();
    });
  };
  const saved = (next: ConfigVersion) => {
    setEditing(false);
    setActivated(null);
    route(`${versionHref(next)}?saved=1`);
  };

  const back = html`<p><a href=${`${BASE}/routing`}>← All versions and channel health</a></p>`;
  if (!version) {
    return html`<section>
      ${back}
      <${ErrorBanner} error=${loaded.error} />
      ${loaded.loading && html`<p class="loading" role="status">Loading…</p>`}
    </section>`;
  }

  return html`<section>
    ${back}
    <header class="page-header">
      <h1>Version ${version.version}: ${version.name}</h1>
      <${ActiveBadge} version=${version} />
    </header>
    <p class="muted">
      Created <${Time} value=${version.created_at} />; last activated <${Time} value=${version.activated_at} fallback="never" />.
    </p>
    <p role="status" class="outcome">
      ${activated === version.version
        ? `Version ${version.version} is active: new ${livemode ? "live" : "test"} payments are routed by it.`
        : query.saved && !version.active && `Saved as version ${version.version}. Payments keep the active version until you activate this one.`}
    </p>
    <${ErrorBanner} error=${error} />
    ${owner &&
    !editing &&
    html`<div class="actions controls-actions">
      <button type="button" onClick=${() => setEditing(true)} disabled=${busy}>Edit</button>
      ${!version.active &&
      html`<button type="button" class="primary" onClick=${() => setConfirming(true)} disabled=${busy}>
        Activate version ${version.version}
      </button>`}
    </div>`}
    ${editing &&
    html`<div class="panel">
      <h2>Edit: save as a new version</h2>
      <${ConfigEditor} initial=${version.config} onSaved=${saved} onCancel=${() => setEditing(false)} />
    </div>`}
    <${ConfigView} config=${version.config} />
    <h2>Try a payment</h2>
    <p>Where a payment with these facts would go by this version, whether or not it is active. Nothing is stored.</p>
    <${RoutingDryRun} key=${version.id} version=${version} />
    <${ConfirmDialog}
      open=${confirming}
      title=${`Activate version ${version.version}?`}
      confirmLabel=${`Activate version ${version.version}`}
      onConfirm=${activate}
      onCancel=${() => setConfirming(false)}
    >
      <p>
        New ${livemode ? "live" : "test"} payments are routed by this version from now on (within 30 seconds everywhere). The
        version active now stops being so; to roll back, activate it again.
      </p>
    </${ConfirmDialog}>
  </section>`;
}
