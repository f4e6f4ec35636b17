// The merchant's landing page: a period's figures per currency (GET /api/v1/statistics/overview),
// and for one currency, the main one unless another is chosen, the daily volume and success rate
// per channel and the failure reasons ranked (GET /api/v1/statistics/payments). Days are UTC days,
// as the statistics count them.
import { html } from "htm/preact";
import { useId, useMemo, useState } from "preact/hooks";
import { LineChart } from "../../components/chart";
import { type Column, DataTable } from "../../components/data-table";
import { ErrorBanner } from "../../components/error-banner";
import { SelectField } from "../../components/field";
import { formatMoney } from "../../components/money";
import { formatPercent, formatRate } from "../../components/rate";
import { BASE } from "../../paths";
import { useApiGet } from "../../use-api";
import type { CurrencyOverview, PaymentStatistics, StatisticsOverview } from "./money-api";

const PERIODS = [7, 30, 90];
const DAY_MS = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The last `days` UTC days, today included, as the statistics take them. */
const rangeOf = (days: number) => ({ from: utcDay(Date.now() - (days - 1) * DAY_MS), to: utcDay(Date.now()) });

const dayWords = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });

/** The currency shown first: the one with the most payments. */
const mainCurrency = (currencies: CurrencyOverview[]) =>
  currencies.reduce<CurrencyOverview | undefined>((best, c) => (best && best.payment_count >= c.payment_count ? best : c), undefined);

export function OverviewPage() {
  const [period, setPeriod] = useState(30);
  const range = useMemo(() => rangeOf(period), [period]);
  const overview = useApiGet<StatisticsOverview>("/api/v1/statistics/overview", range);
  const [chosen, setChosen] = useState("");
  const currencies = overview.data?.currencies ?? [];
  const shown = currencies.find((c) => c.currency === chosen) ?? mainCurrency(currencies);

  return html`<section>
    <h1>Overview</h1>
    <div class="overview-controls">
      <${PeriodPicker} period=${period} onPeriod=${setPeriod} />
      ${currencies.length > 1 &&
      html`<${SelectField}
        label="Currency"
        value=${shown?.currency ?? ""}
        onValue=${setChosen}
        options=${currencies.map((c) => ({ value: c.currency, label: c.currency }))}
      />`}
    </div>
    <p class="muted">
      ${dayWords.format(Date.parse(range.from))} to ${dayWords.format(Date.parse(range.to))}, in UTC days.
      ${currencies.length > 1 && " Amounts are never added across currencies: choose the one to see."}
    </p>
    <${ErrorBanner} error=${overview.error} />
    ${overview.data === undefined
      ? overview.loading && html`<p class="loading" role="status">Loading…</p>`
      : shown === undefined
        ? html`<${EmptyOverview} days=${period} />`
        : html`<${Figures} figures=${shown} />
            <${PaymentCharts} key=${shown.currency} from=${range.from} to=${range.to} currency=${shown.currency} />`}
  </section>`;
}

function PeriodPicker({ period, onPeriod }: { period: number; onPeriod: (days: number) => void }) {
  const name = useId();
  return html`<fieldset class="segmented">
    <legend>Period</legend>
    ${PERIODS.map(
      (days) => html`<label>
        <input type="radio" name=${name} value=${days} checked=${days === period} onChange=${() => onPeriod(days)} />
        Last ${days} days
      </label>`,
    )}
  </fieldset>`;
}

function EmptyOverview({ days }: { days: number }) {
  return html`<div class="panel empty-state">
    <h2>No payments in the last ${days} days</h2>
    <p>Once you take payments in this mode, their volume, success rate, refunds and disputes show here, by day and channel.</p>
    <p><a href=${`${BASE}/payments`}>Go to payments</a></p>
  </div>`;
}

function Figures({ figures: f }: { figures: CurrencyOverview }) {
  const money = (amount: number) => formatMoney(amount, f.currency);
  const entries: Array<[label: string, value: string, detail: string]> = [
    ["Volume", money(f.succeeded_amount), `${f.succeeded_count} succeeded`],
    ["Payments", String(f.payment_count), `${f.failed_count} failed`],
    ["Success rate", formatRate(f.success_rate), "of payments that settled"],
    ["Refunds", money(f.refunded_amount), `${f.refund_count} succeeded`],
    ["Disputes", String(f.dispute_count), money(f.disputed_amount)],
  ];
  return html`<dl class="figures" aria-label=${`Figures in ${f.currency}`}>
    ${entries.map(
      ([label, value, detail]) => html`<div class="figure">
        <dt>${label}</dt>
        <dd>${value}</dd>
        <dd class="figure-detail">${detail}</dd>
      </div>`,
    )}
  </dl>`;
}

const failureColumns: Column<{ rank: number; code: string; count: number }>[] = [
  { header: "Rank", cell: (row) => row.rank, numeric: true },
  { header: "Failure code", cell: (row) => html`<code>${row.code}</code>` },
  { header: "Payments", cell: (row) => row.count, numeric: true },
];

/** The days of the range as chart x values (Unix seconds at 00:00 UTC), and one series per channel. */
function chartData(stats: PaymentStatistics) {
  const x: number[] = [];
  for (let ms = Date.parse(stats.from); ms <= Date.parse(stats.to); ms += DAY_MS) x.push(ms / 1000);
  const channels = [...new Set(stats.days.map((d) => d.channel))].sort();
  const per = (value: (d: PaymentStatistics["days"][number]) => number | null, missing: number | null) =>
    channels.map((channel) => {
      const byDay = new Map(stats.days.filter((d) => d.channel === channel).map((d) => [d.day, value(d)]));
      return { label: channel, values: x.map((s) => byDay.get(utcDay(s * 1000)) ?? missing) };
    });
  // a day without payments moved no money (0), but has no success rate (a gap)
  return { x, volume: per((d) => d.succeeded_amount, 0), rate: per((d) => d.success_rate, null) };
}

function PaymentCharts({ from, to, currency }: { from: string; to: string; currency: string }) {
  const stats = useApiGet<PaymentStatistics>("/api/v1/statistics/payments", { from, to, currency });
  const data = useMemo(() => stats.data && chartData(stats.data), [stats.data]);
  const formatAmount = useMemo(() => (value: number) => formatMoney(value, currency), [currency]);
  const failures = stats.data?.top_failure_codes.map((f, i) => ({ rank: i + 1, ...f })) ?? [];

  if (!stats.data || !data) {
    return html`<${ErrorBanner} error=${stats.error} />
      ${stats.loading && html`<p class="loading" role="status">Loading charts…</p>`}`;
  }
  return html`<${ErrorBanner} error=${stats.error} />
    ${data.volume.length === 0
      ? html`<p class="panel">No payments in ${currency} were made in this period.</p>`
      : html`<div class="charts">
          <${LineChart} title=${`Daily volume in ${currency}, by channel`} x=${data.x} series=${data.volume} formatValue=${formatAmount} />
          <${LineChart} title="Success rate by channel, per day" x=${data.x} series=${data.rate} formatValue=${formatPercent} points />
        </div>`}
    <${DataTable}
      caption="Failure reasons, most frequent first"
      columns=${failureColumns}
      rows=${failures}
      rowKey=${(row: { code: string }) => row.code}
      empty="No payment failed in this period."
    />`;
}
