// Webhooks: where this mode's notifications go and which event types (GET/PUT
// /api/v1/merchant/webhook-endpoint), the secret that signs them, shown on request and rotated with
// an overlap (…/secret, …/rotate-secret), and a test event sent now with what the endpoint answered
// (…/test).
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { roleMay } from "../../../../shared/access/permissions";
import { EVENT_TYPES } from "../../../../shared/events/event-types";
import { api } from "../../api";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { DoneBanner } from "../../components/done-banner";
import { ErrorBanner } from "../../components/error-banner";
import { SelectField, TextField } from "../../components/field";
import { Time, formatTime } from "../../components/time";
import { useSession } from "../../session";
import { useApiGet } from "../../use-api";
import { useChange } from "../../use-change";
import { isMissing } from "./developer-parts";

interface WebhookEndpoint {
  object: "webhook_endpoint";
  livemode: boolean;
  url: string | null;
  /** Empty: every event type. */
  events: string[];
  /** Only in the answer that made it. */
  secret?: string;
  previous_secret_expires_at: string | null;
  updated_at: string;
}

interface Secrets {
  object: "webhook_endpoint_secret";
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: string | null;
}

interface WebhookTest {
  object: "webhook_test";
  url: string;
  status_code: number | null;
  latency_ms: number;
  response_excerpt: string | null;
  error: string | null;
  delivered: boolean;
}

const PATH = "/api/v1/merchant/webhook-endpoint";

/** How long the old secret keeps signing beside the new one (overlap_seconds). */
const OVERLAPS = [
  { value: "0", label: "Stop at once" },
  { value: "3600", label: "1 hour" },
  { value: "86400", label: "24 hours" },
  { value: "604800", label: "7 days" },
];

export function WebhooksPage() {
  const { user, livemode } = useSession();
  const found = useApiGet<WebhookEndpoint>(PATH);
  const change = useChange();
  const [secrets, setSecrets] = useState<Secrets | null>(null);
  const [overlap, setOverlap] = useState("86400");
  const [rotating, setRotating] = useState(false);
  const [test, setTest] = useState<WebhookTest | null>(null);
  const mode = livemode ? "live" : "test";
  // owners and developers manage webhooks; the secret is theirs to see too
  const manages = roleMay(user.role, "PUT", PATH);
  // none yet (404), or a row that holds only the secret (made for payments' notify_url)
  const endpoint = isMissing(found.error) ? null : found.data;
  const url = endpoint?.url ?? null;

  const save = (body: { url: string; events: string[] }) =>
    change.run(async () => {
      const saved = await api<WebhookEndpoint>(PATH, { method: "PUT", body });
      found.reload();
      const which = saved.events.length === 0 ? "every event type" : saved.events.join(", ");
      return `Saved: ${mode} notifications go to ${saved.url} (${which}).${saved.secret ? " A signing secret was made for it: Reveal secret shows it." : ""}`;
    });

  const reveal = () =>
    change.run(async () => {
      setSecrets(await api<Secrets>(`${PATH}/secret`));
      return "";
    });

  const rotate = () => {
    setRotating(false);
    return change.run(async () => {
      const rotated = await api<WebhookEndpoint>(`${PATH}/rotate-secret`, { method: "POST", body: { overlap_seconds: Number(overlap) } });
      // a secret on screen is replaced by the ones that sign now
      if (secrets) setSecrets(await api<Secrets>(`${PATH}/secret`));
      found.reload();
      return rotated.previous_secret_expires_at
        ? `Secret rotated: the previous one keeps signing beside it until ${formatTime(rotated.previous_secret_expires_at)}.`
        : "Secret rotated: the previous one stopped signing at once.";
    });
  };

  const sendTest = () =>
    change.run(async () => {
      setTest(null);
      setTest(await api<WebhookTest>(`${PATH}/test`, { method: "POST" }));
      return "";
    });

  return html`<section>
    <h1>Webhooks</h1>
    <p>
      Every event about your payments, refunds and orders in ${mode} mode is POSTed to this URL (unless a payment names its
      own <code>notify_url</code>), signed with your secret in <code>X-Payment-Signature</code>.
    </p>
    <${ErrorBanner} error=${isMissing(found.error) ? null : found.error} />
    <${ErrorBanner} error=${change.error} />
    <${DoneBanner} text=${change.done} />
    ${found.loading && found.data === undefined && found.error === undefined
      ? html`<p class="loading" role="status">Loading…</p>`
      : html`<div class="panel">
            <h2>Endpoint (${mode} mode)</h2>
            ${!manages && html`<p class="hint">Your role can read these settings; an owner or a developer changes them.</p>`}
            <${EndpointForm}
              key=${endpoint?.updated_at ?? "none"}
              endpoint=${endpoint}
              disabled=${!manages || change.busy}
              onSave=${save}
            />
            ${endpoint && html`<p class="hint">Last changed <${Time} value=${endpoint.updated_at} />.</p>`}
          </div>
          ${manages &&
          html`<div class="panel">
              <h2>Send a test event</h2>
              <p>Sends one signed <code>test.webhook</code> event to the saved URL now, whatever the event types, and shows what it answered. It is not listed under Events and never retried.</p>
              <button type="button" disabled=${change.busy || !url} onClick=${sendTest}>Send test event</button>
              ${!url && html`<p class="hint">Save a URL first.</p>`}
              ${test && html`<${TestResult} test=${test} />`}
            </div>
            <${SigningSecret}
              secrets=${secrets}
              busy=${change.busy}
              overlap=${overlap}
              onOverlap=${setOverlap}
              onReveal=${reveal}
              onHide=${() => setSecrets(null)}
              onRotate=${() => setRotating(true)}
              previousUntil=${endpoint?.previous_secret_expires_at ?? null}
            />`}`}
    <${ConfirmDialog}
      open=${rotating}
      title="Rotate the signing secret?"
      confirmLabel="Rotate secret"
      onConfirm=${rotate}
      onCancel=${() => setRotating(false)}
    >
      <p>
        A new secret signs every ${mode} notification from now on.
        ${overlap === "0"
          ? " The current secret stops signing at once: a receiver that still checks it refuses every notification until it has the new one."
          : ` The current secret keeps signing beside it for ${OVERLAPS.find((o) => o.value === overlap)?.label}: give your receiver the new one before then.`}
      </p>
    </${ConfirmDialog}>
  </section>`;
}

function EndpointForm({
  endpoint,
  disabled,
  onSave,
}: {
  endpoint: WebhookEndpoint | null | undefined;
  disabled: boolean;
  onSave: (body: { url: string; events: string[] }) => void;
}) {
  const [url, setUrl] = useState(endpoint?.url ?? "");
  const [events, setEvents] = useState<string[]>(endpoint?.events ?? []);
  const toggle = (type: string, on: boolean) => setEvents(on ? [...events, type] : events.filter((t) => t !== type));
  const submit = (event: Event) => {
    event.preventDefault();
    // in the API's order, so that what is saved reads the same as the list
    onSave({ url, events: EVENT_TYPES.filter((t) => events.includes(t)) });
  };
  return html`<form onSubmit=${submit}>
    <fieldset class="form-fields" disabled=${disabled}>
      <${TextField}
        label="Endpoint URL"
        type="url"
        name="url"
        required
        value=${url}
        onValue=${setUrl}
        hint="On a public host (test mode also takes loopback: localhost, 127.0.0.1). It must answer 2xx within 10 seconds."
      />
      <fieldset class="choices">
        <legend>Event types</legend>
        <p class="hint">None ticked: every event type, including types added later.</p>
        <div class="choice-grid">
          ${EVENT_TYPES.map(
            (type) => html`<label key=${type}>
              <input
                type="checkbox"
                checked=${events.includes(type)}
                onChange=${(e: Event) => toggle(type, (e.currentTarget as HTMLInputElement).checked)}
              />
              ${type}
            </label>`,
          )}
        </div>
      </fieldset>
      <button type="submit" class="primary">Save endpoint</button>
    </fieldset>
  </form>`;
}

function TestResult({ test }: { test: WebhookTest }) {
  return html`<div class="subsection" role="region" aria-label="Test result">
    <h3>${test.delivered ? "Delivered" : "Not delivered"}</h3>
    <dl class="detail-list">
      <dt>URL</dt>
      <dd><code>${test.url}</code></dd>
      <dt>Status code</dt>
      <dd>${test.status_code ?? "No answer"}</dd>
      <dt>Latency</dt>
      <dd>${test.latency_ms} ms</dd>
      ${test.error
        ? html`<dt>Error</dt>
            <dd>${test.error}</dd>`
        : html`<dt>Answer</dt>
            <dd><code class="excerpt">${test.response_excerpt || "(empty)"}</code></dd>`}
    </dl>
  </div>`;
}

interface SigningSecretProps {
  secrets: Secrets | null;
  busy: boolean;
  overlap: string;
  onOverlap: (value: string) => void;
  onReveal: () => void;
  onHide: () => void;
  onRotate: () => void;
  previousUntil: string | null;
}

function SigningSecret({ secrets, busy, overlap, onOverlap, onReveal, onHide, onRotate, previousUntil }: SigningSecretProps) {
  return html`<div class="panel">
    <h2>Signing secret</h2>
    <p>Your receiver checks each notification's <code>X-Payment-Signature</code> with it: an HMAC-SHA256 of <code>t.body</code>, one <code>v1</code> per secret that signs.</p>
    ${previousUntil && html`<p>The previous secret also signs until <${Time} value=${previousUntil} />.</p>`}
    ${secrets
      ? html`<div class="secret" role="region" aria-label="Signing secret">
          <p><code class="secret-value">${secrets.secret}</code></p>
          ${secrets.previous_secret &&
          html`<p>Previous secret, signing until <${Time} value=${secrets.previous_secret_expires_at} />:</p>
            <p><code class="secret-value">${secrets.previous_secret}</code></p>`}
          <button type="button" onClick=${onHide}>Hide secret</button>
        </div>`
      : html`<button type="button" disabled=${busy} onClick=${onReveal}>Reveal secret</button>`}
    <div class="subsection">
      <h3>Rotate</h3>
      <${SelectField}
        label="The current secret keeps signing for"
        value=${overlap}
        onValue=${onOverlap}
        options=${OVERLAPS}
        hint="Time to give your receiver the new secret; notifications carry both signatures until then."
      />
      <button type="button" class="danger" disabled=${busy} onClick=${onRotate}>Rotate secret</button>
    </div>
  </div>`;
}
