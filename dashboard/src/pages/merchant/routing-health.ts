// Channel health (GET /api/v1/routing/health): per channel over the last 30 minutes of your
// attempts, how many, how they ended, latency and the circuit, as a table, and the success rates as
// bars.
import { html } from "htm/preact";
import { useMemo } from "preact/hooks";
import { BarChart } from "../../components/chart";
import { type Column, DataTable } from "../../components/data-table";
import { ErrorBanner } from "../../components/error-banner";
import { Time } from "../../components/time";
import type { Query } from "../../api";
import { useApiGet } from "../../use-api";
import type { ChannelHealth, Health } from "./routing-types";

const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`;
const ms = (value: number | null) => (value === null ? "—" : `≤ ${value} ms`);

function Circuit({ circuit }: { circuit: ChannelHealth["circuit"] }) {
  if (circuit.state === "closed") return html`<span class="badge badge-ok">Closed</span>`;
  if (circuit.state === "half_open") return html`<span class="badge badge-warning">Half-open: probing</span>`;
  return html`<span class="badge badge-danger">Open</span> until <${Time} value=${circuit.half_opens_at} />`;
}

const COLUMNS: Column<ChannelHealth>[] = [
  { header: "Channel", cell: (h) => h.channel },
  { header: "Attempts", cell: (h) => h.attempts, numeric: true },
  { header: "Succeeded", cell: (h) => h.succeeded, numeric: true },
  { header: "Declined", cell: (h) => h.declined, numeric: true },
  { header: "Outages", cell: (h) => h.outages, numeric: true },
  { header: "Success rate", cell: (h) => (h.success_rate === null ? "—" : percent(h.success_rate)), numeric: true },
  { header: "p50", cell: (h) => ms(h.p50_ms), numeric: true },
  { header: "p95", cell: (h) => ms(h.p95_ms), numeric: true },
  { header: "Circuit", cell: (h) => html`<${Circuit} circuit=${h.circuit} />` },
];

/** Yours, unless said: the console shows a merchant's (/api/v1/admin/merchants/{id}/routing/health, its mode in `query`). */
export function RoutingHealth({ path = "/api/v1/routing/health", query }: { path?: string; query?: Query }) {
  const health = useApiGet<Health>(path, query);
  const rows = health.data?.data;
  const minutes = (health.data?.window_seconds ?? 1800) / 60;
  const chart = useMemo(() => {
    const rated = (rows ?? []).filter((h) => h.success_rate !== null);
    return {
      x: rated.map((_h, i) => i),
      categories: rated.map((h) => h.channel),
      series: [{ label: "Success rate", values: rated.map((h) => Math.round(h.success_rate! * 1000) / 10) }],
    };
  }, [rows]);

  return html`<header class="page-header">
      <h2>Channel health, last ${minutes} minutes</h2>
      <button type="button" onClick=${health.reload} disabled=${health.loading}>Refresh</button>
    </header>
    <${ErrorBanner} error=${health.error} />
    ${rows === undefined
      ? health.loading && html`<p class="loading" role="status">Loading…</p>`
      : html`<${DataTable}
            caption="Per channel"
            columns=${COLUMNS}
            rows=${rows}
            rowKey=${(h: ChannelHealth) => h.channel}
            empty="No attempts in this window yet."
          />
          ${chart.x.length > 0 &&
          html`<${BarChart} title="Success rate by channel" x=${chart.x} categories=${chart.categories} series=${chart.series}
            xLabel="Channel" height=${200} formatValue=${formatPercent} />`}`}`;
}

// outside the component: a new function each render would rebuild the chart
const formatPercent = (value: number) => `${value}%`;
