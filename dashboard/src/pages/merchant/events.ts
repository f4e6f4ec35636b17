// Events: what happened to the merchant's payments, refunds and orders in this mode, a page at a
// time and by type (GET /api/v1/events), and one event with its data and every attempt to deliver
// it (GET /api/v1/events/{id}), sent again on request (POST /api/v1/events/{id}/resend).
import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { roleMay } from "../../../../shared/access/permissions";
import { EVENT_TYPES } from "../../../../shared/events/event-types";
import { api } from "../../api";
import type { ApiEvent, DeliveryAttempt, EventWithAttempts } from "../../api-types";
import { type Column, DataTable, PagedTable } from "../../components/data-table";
import { DoneBanner } from "../../components/done-banner";
import { ErrorBanner } from "../../components/error-banner";
import { SelectField } from "../../components/field";
import { StatusBadge } from "../../components/status-badge";
import { Time } from "../../components/time";
import { BASE } from "../../paths";
import { useSession } from "../../session";
import { useApiGet, useCursorList } from "../../use-api";
import { useChange } from "../../use-change";

const PATH = "/api/v1/events";
const eventPath = (id: string) => `${PATH}/${encodeURIComponent(id)}`;

/** What an event is about: its payment, refund or order. */
function Subject({ event }: { event: ApiEvent }) {
  const parts = [
    event.payment_no && html`Payment <code>${event.payment_no}</code>`,
    event.refund_no && html`refund <code>${event.refund_no}</code>`,
    event.order_no && html`Order <code>${event.order_no}</code>`,
  ].filter(Boolean);
  return html`<span>${parts.map((part, i) => html`${i > 0 && ", "}${part}`)}</span>`;
}

function Delivery({ delivery }: { delivery: ApiEvent["delivery"] }) {
  const tries = delivery.attempts === 1 ? "1 attempt" : `${delivery.attempts} attempts`;
  return html`<${StatusBadge} status=${delivery.status} /> <span class="muted nowrap">${tries}</span>`;
}

export function EventsPage() {
  const { livemode } = useSession();
  const [type, setType] = useState("");
  const events = useCursorList<ApiEvent>(PATH, { query: { type } });
  const mode = livemode ? "live" : "test";

  const columns: Column<ApiEvent>[] = [
    { header: "Event", cell: (e) => html`<a href=${`${BASE}/events/${e.id}`}><code>${e.id}</code></a>` },
    { header: "Type", cell: (e) => e.type },
    { header: "About", cell: (e) => html`<${Subject} event=${e} />` },
    { header: "Created", cell: (e) => html`<${Time} value=${e.created} />` },
    { header: "Delivery", cell: (e) => html`<${Delivery} delivery=${e.delivery} />` },
  ];

  return html`<section>
    <h1>Events</h1>
    <p>What happened to your payments, refunds and orders, newest first, and whether the notification reached you. Open one to see its data and every delivery attempt.</p>
    <${SelectField}
      label="Type"
      value=${type}
      onValue=${setType}
      options=${[{ value: "", label: "All types" }, ...EVENT_TYPES.map((t) => ({ value: t, label: t }))]}
    />
    <${PagedTable}
      list=${events}
      caption=${`Your ${mode} events`}
      columns=${columns}
      rowKey=${(e: ApiEvent) => e.id}
      empty=${type ? `No ${type} events in ${mode} mode.` : `No events in ${mode} mode yet.`}
    />
  </section>`;
}

const attemptColumns: Column<DeliveryAttempt>[] = [
  { header: "DeliveryAttempt", cell: (a) => a.attempt, numeric: true },
  { header: "At", cell: (a) => html`<${Time} value=${a.at} />` },
  { header: "URL", cell: (a) => html`<code class="excerpt">${a.url}</code>` },
  { header: "Status code", cell: (a) => a.status_code ?? "None", numeric: true },
  { header: "Latency", cell: (a) => `${a.latency_ms} ms`, numeric: true },
  {
    header: "Answer or error",
    cell: (a) => (a.error ? html`<span>${a.error}</span>` : html`<code class="excerpt">${a.response_excerpt || "(empty)"}</code>`),
  },
];

/** How long to wait before looking again at a delivery still pending: 1 s, doubling, at most 10 s. */
const pollDelay = (polls: number) => Math.min(1000 * 2 ** polls, 10_000);

export function EventPage({ eventId }: { eventId: string }) {
  const { user } = useSession();
  const path = eventPath(eventId);
  const event = useApiGet<EventWithAttempts>(path);
  const change = useChange();
  const [polls, setPolls] = useState(0);
  const found = event.data;
  const pending = found?.delivery.status === "pending";

  // a delivery on its way (queued, resent, or between retries) is looked at again until it ends
  useEffect(() => {
    if (!pending || event.loading) return;
    const timer = setTimeout(() => {
      setPolls((n) => n + 1);
      event.reload();
    }, pollDelay(polls));
    return () => clearTimeout(timer);
  }, [pending, event.loading, found]);

  const resend = () =>
    change.run(async () => {
      await api(`${path}/resend`, { method: "POST" });
      setPolls(0);
      event.reload();
      return "Queued for delivery again: the new attempt is listed below once it is made.";
    });

  return html`<section>
    <p><a href=${`${BASE}/events`}>← All events</a></p>
    <header class="page-header">
      <h1>Event <code>${eventId}</code></h1>
      ${roleMay(user.role, "POST", `${path}/resend`) &&
      html`<button type="button" class="primary" disabled=${change.busy || !found} onClick=${resend}>Resend</button>`}
    </header>
    <${ErrorBanner} error=${event.error} />
    <${ErrorBanner} error=${change.error} />
    <${DoneBanner} text=${change.done} />
    ${found === undefined
      ? event.loading && html`<p class="loading" role="status">Loading…</p>`
      : html`<dl class="detail-list">
            <dt>Type</dt>
            <dd>${found.type}</dd>
            <dt>About</dt>
            <dd><${Subject} event=${found} /></dd>
            <dt>Created</dt>
            <dd><${Time} value=${found.created} /></dd>
            <dt>Delivery</dt>
            <dd>
              <${Delivery} delivery=${found.delivery} />
              ${found.delivery.delivered_at && html` · delivered <${Time} value=${found.delivery.delivered_at} />`}
              ${pending && html` · <span role="status">not finished; this page looks again until it is</span>`}
            </dd>
          </dl>
          <${DataTable}
            caption="Delivery attempts"
            columns=${attemptColumns}
            rows=${found.attempts}
            rowKey=${(a: DeliveryAttempt) => String(a.attempt)}
            empty=${found.delivery.status === "skipped" ? "None: there was no URL to send it to." : "None yet."}
          />
          <h2>Data</h2>
          <pre class="json" tabindex="0" aria-label="The event's data"><code>${JSON.stringify(found.data.object, null, 2)}</code></pre>`}
  </section>`;
}
