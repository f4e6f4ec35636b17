// How each channel does over every merchant in the mode shown: attempts, success rate, latency and
// how many merchants tried it, over the API's window. Circuits are per merchant: a merchant's page
// shows them.
import { html } from "htm/preact";
import { useMemo } from "preact/hooks";
import { BarChart } from "../../components/chart";
import { type Column, DataTable } from "../../components/data-table";
import { ErrorBanner } from "../../components/error-banner";
import { formatRate } from "../../components/rate";
import { useSession } from "../../session";
import { useApiGet } from "../../use-api";

interface PlatformChannelHealth {
  channel: string;
  attempts: number;
  succeeded: number;
  failed: number;
  success_rate: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  merchants: number;
}

interface PlatformHealth {
  object: "platform_routing_health";
  livemode: boolean;
  window_seconds: number;
  data: PlatformChannelHealth[];
}

// exact here (nearest rank over the attempts), not a histogram bucket's bound as in a merchant's health
const formatMs = (ms: number | null) => (ms === null ? "—" : `${ms.toLocaleString()} ms`);

const columns: Column<PlatformChannelHealth>[] = [
  { header: "Channel", cell: (h) => h.channel },
  { header: "Attempts", numeric: true, cell: (h) => h.attempts.toLocaleString() },
  { header: "Succeeded", numeric: true, cell: (h) => h.succeeded.toLocaleString() },
  { header: "Failed", numeric: true, cell: (h) => h.failed.toLocaleString() },
  { header: "Success rate", numeric: true, cell: (h) => formatRate(h.success_rate) },
  { header: "p50", numeric: true, cell: (h) => formatMs(h.p50_ms) },
  { header: "p95", numeric: true, cell: (h) => formatMs(h.p95_ms) },
  { header: "Merchants", numeric: true, cell: (h) => h.merchants.toLocaleString() },
];

// outside the component: a new function each render would draw the chart again
const asPercent = (value: number) => `${value.toFixed(0)}%`;

export function ChannelHealthPage() {
  const { livemode } = useSession();
  const mode = livemode ? "live" : "test";
  const health = useApiGet<PlatformHealth>("/api/v1/admin/routing/health", { livemode });
  const channels = health.data?.data;
  // one identity per answer, so the chart is drawn again only when the figures change
  const chart = useMemo(
    () =>
      channels && {
        x: channels.map((_, i) => i),
        categories: channels.map((h) => h.channel),
        series: [{ label: "Success rate", values: channels.map((h) => (h.success_rate === null ? null : h.success_rate * 100)) }],
      },
    [channels],
  );

  return html`<section class="console-page">
    <header class="page-header">
      <h1>Channel health</h1>
      <button type="button" disabled=${health.loading} onClick=${health.reload}>Refresh</button>
    </header>
    <p>Every merchant's attempts at each channel in ${mode} mode, counted by when they were created.</p>
    <${ErrorBanner} error=${health.error} />
    ${health.data === undefined
      ? health.loading && html`<p class="loading" role="status">Loading…</p>`
      : html`<${DataTable}
            caption=${`Channels in ${mode} mode, last ${health.data.window_seconds / 60} minutes`}
            columns=${columns}
            rows=${health.data.data}
            rowKey=${(h: PlatformChannelHealth) => h.channel}
            empty="No attempts in the window."
          />
          ${chart && chart.x.length > 0 && html`<${BarChart} title="Success rate by channel" xLabel="Channel" formatValue=${asPercent} ...${chart} />`}`}
  </section>`;
}
