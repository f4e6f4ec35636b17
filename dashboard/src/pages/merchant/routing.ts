// Routing: the versions of the configuration (which is active), a new one from the editor (owners),
// and how each channel has been doing.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { type Column, PagedTable } from "../../components/data-table";
import { Time } from "../../components/time";
import { BASE } from "../../paths";
import { useSession } from "../../session";
import { useCursorList } from "../../use-api";
import { ConfigEditor } from "./routing-editor";
import { RoutingHealth } from "./routing-health";
import { CONFIGS_PATH, type ConfigVersion, type RoutingConfig } from "./routing-types";

export const versionHref = (version: { id: string }) => `${BASE}/routing/${version.id}`;

/** What the editor starts from when there is no version yet: everything to the sandbox. */
const STARTER: RoutingConfig = {
  name: "my routing",
  rules: [],
  default: { priority: ["sandbox"] },
  dynamic: { success_rate: false, exploration_percent: 5, elimination: false },
  max_attempts: 2,
};

export function ActiveBadge({ version }: { version: ConfigVersion }) {
  return version.active ? html`<span class="badge badge-ok">Active</span>` : html`<span class="badge badge-muted">Inactive</span>`;
}

const COLUMNS: Column<ConfigVersion>[] = [
  { header: "Version", cell: (v) => html`<a href=${versionHref(v)}>Version ${v.version}</a>` },
  { header: "Name", cell: (v) => v.name },
  { header: "Status", cell: (v) => html`<${ActiveBadge} version=${v} />` },
  { header: "Created", cell: (v) => html`<${Time} value=${v.created_at} />` },
  { header: "Last activated", cell: (v) => html`<${Time} value=${v.activated_at} fallback="Never" />` },
];

export function RoutingPage() {
  const { user, livemode } = useSession();
  const { route } = useLocation();
  const versions = useCursorList<ConfigVersion>(CONFIGS_PATH);
  const [creating, setCreating] = useState(false);
  const mode = livemode ? "live" : "test";
  // a new version starts from the one in use, else the newest
  const base = versions.rows?.find((v) => v.active) ?? versions.rows?.[0];

  return html`<section>
    <header class="page-header">
      <h1>Routing</h1>
      ${user.role === "owner" &&
      !creating &&
      html`<button type="button" class="primary" onClick=${() => setCreating(true)} disabled=${versions.rows === undefined}>
        New version
      </button>`}
    </header>
    <p>
      Which channel each ${mode} payment goes to: rules tried in order, a default, and the channels' health. Every change is a
      new version; payments follow the active one, and rolling back is activating an older one.
    </p>
    ${creating &&
    html`<div class="panel">
      <h2>New version${base ? `, from version ${base.version}` : ""}</h2>
      <${ConfigEditor}
        initial=${base?.config ?? STARTER}
        onSaved=${(saved: ConfigVersion) => route(`${versionHref(saved)}?saved=1`)}
        onCancel=${() => setCreating(false)}
      />
    </div>`}
    <${PagedTable}
      list=${versions}
      caption=${`Versions of your ${mode} configuration, newest first`}
      columns=${COLUMNS}
      rowKey=${(v: ConfigVersion) => v.id}
      empty="No configuration yet: payments go to your default channel."
    />
    <${RoutingHealth} />
  </section>`;
}
