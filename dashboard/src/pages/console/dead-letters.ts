// Messages a queue gave up on, newest first, by queue; an admin sends one back to its queue after a
// confirm (the consumers are idempotent, so a replay applies at most once what was not applied).
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { type List, api } from "../../api";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { type Column, DataTable } from "../../components/data-table";
import { ErrorBanner } from "../../components/error-banner";
import { SelectField } from "../../components/field";
import { Time, formatTime } from "../../components/time";
import { useApiGet } from "../../use-api";
import { useChange, useMayPost } from "../../use-change";

interface DeadLetter {
  id: string;
  object: "dead_letter";
  queue: string;
  message_id: string;
  body: unknown;
  attempts: number;
  created_at: string;
  replayed_at: string | null;
}

const PATH = "/api/v1/admin/dead-letters";
/** The API lists the newest ones only (no cursor): as many as it gives. */
const LIMIT = 100;
// the queues GET /api/v1/admin/dead-letters filters by
const QUEUE_OPTIONS = [
  { value: "", label: "Every queue" },
  ...["channel-events", "channel-calls", "notifications"].map((queue) => ({ value: queue, label: queue })),
];

export function DeadLettersPage() {
  // the route every letter's Replay calls
  const mayChange = useMayPost()(`${PATH}/{id}/replay`);
  const [queue, setQueue] = useState("");
  const letters = useApiGet<List<DeadLetter>>(PATH, { queue, limit: LIMIT });
  const [replaying, setReplaying] = useState<DeadLetter | null>(null);
  const [outcome, setOutcome] = useState("");
  const { busy, error, run } = useChange();

  const replay = () => {
    const letter = replaying!;
    setReplaying(null);
    setOutcome("");
    run(async () => {
      const replayed = await api<DeadLetter>(`${PATH}/${encodeURIComponent(letter.id)}/replay`, { method: "POST" });
      setOutcome(`Message ${replayed.message_id} is back on ${replayed.queue} (replayed ${formatTime(replayed.replayed_at!)}).`);
      letters.reload();
    });
  };

  const columns: Column<DeadLetter>[] = [
    { header: "Parked", cell: (d) => html`<${Time} value=${d.created_at} />` },
    { header: "Queue", cell: (d) => d.queue },
    { header: "Message", cell: (d) => html`<code>${d.message_id}</code>` },
    { header: "Attempts", numeric: true, cell: (d) => d.attempts },
    {
      header: "Body",
      cell: (d) => html`<details><summary>Show</summary><pre class="console-json">${JSON.stringify(d.body, null, 2)}</pre></details>`,
    },
    {
      header: "Replayed",
      cell: (d) =>
        d.replayed_at
          ? html`<span class="badge badge-ok">Replayed <${Time} value=${d.replayed_at} /></span>`
          : html`<span class="badge badge-muted">Not replayed</span>`,
    },
    ...(mayChange
      ? [
          {
            header: "Actions",
            cell: (d: DeadLetter) => {
              const label = d.replayed_at ? "Replay again" : "Replay";
              return html`<button type="button" disabled=${busy} onClick=${() => setReplaying(d)} aria-label=${`${label} ${d.message_id}`}>
                ${label}
              </button>`;
            },
          },
        ]
      : []),
  ];

  return html`<section class="console-page">
    <h1>Dead letters</h1>
    <p>Messages a queue retried until it gave up. Replaying sends one back to its queue as it was.</p>
    <form class="console-filters" onSubmit=${(event: Event) => event.preventDefault()}>
      <${SelectField} label="Queue" name="queue" options=${QUEUE_OPTIONS} value=${queue} onValue=${setQueue} />
    </form>
    <${ErrorBanner} error=${error} />
    <p role="status" class="outcome">${outcome}</p>
    <${ErrorBanner} error=${letters.error} />
    ${letters.data === undefined
      ? letters.loading && html`<p class="loading" role="status">Loading…</p>`
      : html`<${DataTable}
            caption="Dead letters, newest first"
            columns=${columns}
            rows=${letters.data.data}
            rowKey=${(d: DeadLetter) => d.id}
            empty="Nothing parked: every message was delivered."
          />
          ${letters.data.has_more && html`<p class="hint">The newest ${LIMIT} are shown; older ones are parked too.</p>`}`}
    <${ConfirmDialog}
      open=${replaying !== null}
      title="Replay this message?"
      confirmLabel="Replay message"
      onConfirm=${replay}
      onCancel=${() => setReplaying(null)}
    >
      <p>Message <code>${replaying?.message_id}</code> goes back to <strong>${replaying?.queue}</strong>, and its consumer
        tries it again.</p>
    </${ConfirmDialog}>
  </section>`;
}
