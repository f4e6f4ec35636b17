// What happened to a payment: every status move with its cause (its timeline), and the events sent
// about it with their delivery attempts, read when an event is opened.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import type { ApiEvent, DeliveryAttempt, EventWithAttempts } from "../../api-types";
import { type Column, DataTable, Pager } from "../../components/data-table";
import { ErrorBanner } from "../../components/error-banner";
import { StatusBadge, statusWords } from "../../components/status-badge";
import { Time } from "../../components/time";
import { type CursorList, type Loaded, useApiGet } from "../../use-api";
import type { List } from "../../api";
import type { Transition } from "./money-api";

/** What moved the payment, in words, with the id the platform recorded for it. */
function causeWords({ type, id }: Transition["cause"]) {
  const said: Record<Transition["cause"]["type"], string> = {
    api: "API request",
    webhook: "The channel's webhook",
    channel: "The channel's answer",
    sync: "A status check with the channel",
    return: "The buyer's return from the channel",
    risk: "Risk rule",
  };
  return html`${said[type]} <code>${id}</code>`;
}

export function Timeline({ timeline }: { timeline: Loaded<List<Transition>> }) {
  const moves = timeline.data?.data;
  return html`<section class="panel" aria-labelledby="timeline-heading">
    <h2 id="timeline-heading">Timeline</h2>
    <${ErrorBanner} error=${timeline.error} />
    ${moves === undefined
      ? timeline.loading && html`<p class="loading" role="status">Loading…</p>`
      : html`<ol class="timeline">
          ${moves.map(
            (move, i) => html`<li key=${i}>
              <strong>${move.from === null ? `Created: ${statusWords(move.to)}` : `${statusWords(move.from)} → ${statusWords(move.to)}`}</strong>
              ${" "}<${Time} value=${move.at} />
              <span class="cause">${causeWords(move.cause)}</span>
            </li>`,
          )}
        </ol>`}
  </section>`;
}

export function Events({ events }: { events: CursorList<ApiEvent> }) {
  return html`<section class="panel" aria-labelledby="events-heading">
    <h2 id="events-heading">Events</h2>
    <p class="muted">Open an event to see its deliveries to your endpoint.</p>
    <${ErrorBanner} error=${events.error} />
    ${events.rows === undefined
      ? events.loading && html`<p class="loading" role="status">Loading…</p>`
      : events.rows.length === 0
        ? html`<p>No events yet.</p>`
        : html`<ul class="event-list">
            ${events.rows.map((event) => html`<${EventItem} key=${event.id} event=${event} />`)}
          </ul>`}
    <${Pager} list=${events} />
  </section>`;
}

function EventItem({ event }: { event: ApiEvent }) {
  const [open, setOpen] = useState(false);
  const { attempts } = event.delivery;
  return html`<li>
    <details onToggle=${(e: Event) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>
        <code>${event.type}</code>
        <${StatusBadge} status=${event.delivery.status} />
        <span>${attempts} ${attempts === 1 ? "attempt" : "attempts"}</span>
        <${Time} value=${event.created} />
      </summary>
      ${open && html`<${DeliveryAttempts} eventId=${event.id} />`}
    </details>
  </li>`;
}

const attemptColumns: Column<DeliveryAttempt>[] = [
  { header: "#", cell: (a) => a.attempt, numeric: true },
  { header: "At", cell: (a) => html`<${Time} value=${a.at} />` },
  { header: "URL", cell: (a) => html`<code>${a.url}</code>` },
  { header: "Answer", cell: (a) => (a.status_code === null ? "None" : a.status_code) },
  { header: "Took", cell: (a) => `${a.latency_ms} ms`, numeric: true },
  { header: "Error or answer", cell: (a) => a.error ?? a.response_excerpt ?? "—" },
];

function DeliveryAttempts({ eventId }: { eventId: string }) {
  const event = useApiGet<EventWithAttempts>(`/api/v1/events/${encodeURIComponent(eventId)}`);
  if (event.data === undefined) {
    return html`<${ErrorBanner} error=${event.error} />
      ${event.loading && html`<p class="loading" role="status">Loading…</p>`}`;
  }
  return html`<p class="muted">Event <code>${eventId}</code></p>
    <${DataTable}
      caption="Delivery attempts"
      columns=${attemptColumns}
      rows=${event.data.attempts}
      rowKey=${(a: DeliveryAttempt) => String(a.attempt)}
      empty=${event.data.delivery.status === "skipped" ? "Not sent: there was no URL to send it to." : "No attempt yet."}
    />`;
}
