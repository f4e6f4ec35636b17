// Channels: which payment channels take payments in this mode and on whose account
// (GET /api/v1/channels), and for each that takes the merchant's own credentials, that account:
// what is stored, as hints (GET /api/v1/merchant/channels/{channel}), connected with a form made
// from the route's body schema (credential-form.ts) and disconnected after a confirm (PUT, DELETE).
// Owners change them; the other roles read.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { roleMay } from "../../../../shared/access/permissions";
import { api, type List } from "../../api";
import type { Channel } from "../../api-types";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { type Column, DataTable } from "../../components/data-table";
import { DoneBanner } from "../../components/done-banner";
import { ErrorBanner } from "../../components/error-banner";
import { Time } from "../../components/time";
import { useSession } from "../../session";
import { useApiGet } from "../../use-api";
import { useChange } from "../../use-change";
import { CredentialForm, type OpenApiDocument, OPENAPI_PATH, credentialFields, labelOf } from "./credential-form";
import { isMissing } from "./developer-parts";

interface ChannelConfig {
  object: "channel_config";
  channel: string;
  livemode: boolean;
  account_id: string | null;
  /** Public values and hints; never a secret. */
  credentials: Record<string, string | null>;
  webhook_path: string;
  updated_at: string;
}

const configPath = (channel: string) => `/api/v1/merchant/channels/${channel}`;
const ACCOUNT_WORDS = { merchant: "Yours", platform: "The platform's" };
/** A long list of currencies is counted rather than written out. */
const currencyWords = (codes: string[]) => (codes.length > 8 ? `${codes.length} currencies` : codes.join(", "));

export function ChannelsPage() {
  const { livemode } = useSession();
  const channels = useApiGet<List<Channel>>("/api/v1/channels");
  const mode = livemode ? "live" : "test";

  const columns: Column<Channel>[] = [
    { header: "Channel", cell: (c) => html`<code>${c.channel}</code>` },
    {
      header: `In ${mode} mode`,
      cell: (c) =>
        c.configured
          ? html`<span class="badge badge-ok">Takes payments</span>`
          : html`<span class="badge badge-muted">${c.modes.includes(mode) ? "Not set up" : `No ${mode} mode`}</span>`,
    },
    { header: "Account", cell: (c) => (c.account ? ACCOUNT_WORDS[c.account] : "—") },
    { header: "Currencies", cell: (c) => currencyWords(c.currencies) },
    { header: "Payment methods", cell: (c) => c.payment_methods?.join(", ") ?? "Any" },
  ];
  const own = channels.data?.data.filter((c) => c.merchant_credentials) ?? [];

  return html`<section>
    <h1>Channels</h1>
    <p>The channels your payments can go through in ${mode} mode. Where a channel takes your own account, payments in this mode run on it once it is connected; otherwise on the platform's.</p>
    <${ErrorBanner} error=${channels.error} />
    ${channels.data === undefined
      ? channels.loading && html`<p class="loading" role="status">Loading…</p>`
      : html`<${DataTable} caption="Channels" columns=${columns} rows=${channels.data.data} rowKey=${(c: Channel) => c.channel} />
          ${own.length > 0 && html`<${OwnAccounts} channels=${own} onChange=${channels.reload} />`}`}
  </section>`;
}

/** The channels that take the merchant's own account, their forms made from the API's schema. */
function OwnAccounts({ channels, onChange }: { channels: Channel[]; onChange: () => void }) {
  const doc = useApiGet<OpenApiDocument>(OPENAPI_PATH);
  return html`<h2>Your own accounts</h2>
    <${ErrorBanner} error=${doc.error} />
    ${channels.map((c) => html`<${OwnAccount} key=${c.channel} channel=${c.channel} doc=${doc.data} onChange=${onChange} />`)}`;
}

function OwnAccount({ channel, doc, onChange }: { channel: string; doc: OpenApiDocument | undefined; onChange: () => void }) {
  const { user, livemode } = useSession();
  const path = configPath(channel);
  const config = useApiGet<ChannelConfig>(path);
  const change = useChange();
  const [replacing, setReplacing] = useState(false);
  const [disconnecting, setDisconnecting] = useState(false);
  const owner = roleMay(user.role, "PUT", path);
  const connected = isMissing(config.error) ? null : config.data;
  const mode = livemode ? "live" : "test";
  const fields = doc ? credentialFields(doc, path) : [];

  const connect = (body: Record<string, string | number>) =>
    change.run(async () => {
      const saved = await api<ChannelConfig>(path, { method: "PUT", body });
      setReplacing(false);
      config.reload();
      onChange();
      return `Connected: ${mode} payments on ${channel} now run on your account${saved.account_id ? ` ${saved.account_id}` : ""}.`;
    });
  const disconnect = () => {
    setDisconnecting(false);
    return change.run(async () => {
      await api(path, { method: "DELETE" });
      config.reload();
      onChange();
      return `Disconnected: your ${channel} credentials for ${mode} mode are deleted.`;
    });
  };

  const form =
    owner &&
    (connected === null || replacing) &&
    html`${fields.length > 0
      ? html`<${CredentialForm} fields=${fields} action=${`Connect ${channel}`} busy=${change.busy} onSubmit=${connect} />`
      : doc && html`<p>The API reference does not describe this channel's credentials.</p>`}`;

  return html`<div class="panel" role="region" aria-label=${`Your ${channel} account`}>
    <h3>${channel}</h3>
    <${ErrorBanner} error=${isMissing(config.error) ? null : config.error} />
    <${ErrorBanner} error=${change.error} />
    <${DoneBanner} text=${change.done} />
    ${config.data === undefined && config.error === undefined
      ? html`<p class="loading" role="status">Loading…</p>`
      : connected
        ? html`<p><span class="badge badge-ok">Connected</span> in ${mode} mode</p>
            <${StoredConfig} config=${connected} />
            ${owner &&
            html`<div class="actions">
              <button type="button" disabled=${change.busy} aria-expanded=${replacing} onClick=${() => setReplacing(!replacing)}>
                ${replacing ? "Keep the stored credentials" : "Replace credentials"}
              </button>
              <button type="button" class="danger" disabled=${change.busy} onClick=${() => setDisconnecting(true)}>Disconnect</button>
            </div>`}`
        : html`<p><span class="badge badge-muted">Not connected</span> in ${mode} mode${!owner && ": an owner connects it"}</p>`}
    ${form}
    <${ConfirmDialog}
      open=${disconnecting}
      title=${`Disconnect your ${channel} account?`}
      confirmLabel="Disconnect"
      onConfirm=${disconnect}
      onCancel=${() => setDisconnecting(false)}
    >
      <p>The stored ${mode} credentials are deleted: new ${mode} payments on ${channel} stop using your account. To connect it again you enter them again.</p>
    </${ConfirmDialog}>
  </div>`;
}

/** What the API shows of stored credentials: public values and hints of the secrets. */
function StoredConfig({ config }: { config: ChannelConfig }) {
  return html`<dl class="detail-list">
    ${config.account_id &&
    html`<dt>Account at the channel</dt>
      <dd><code>${config.account_id}</code></dd>`}
    ${Object.entries(config.credentials).map(
      ([name, value]) => html`<dt>${labelOf(name)}</dt>
        <dd>${value === null ? "—" : html`<code>${value}</code>`}</dd>`,
    )}
    <dt>Webhook URL</dt>
    <dd><code>${location.origin}${config.webhook_path}</code> <span class="hint">point the account's webhooks here</span></dd>
    <dt>Saved</dt>
    <dd><${Time} value=${config.updated_at} /></dd>
  </dl>`;
}
