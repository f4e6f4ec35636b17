// The routing dry run (POST /api/v1/routing/evaluate) of one version, whether or not it is active:
// the facts of a payment in, and where it would go out: the channels in the order they would be
// tried, those skipped with why, and the one chosen. Nothing is stored.
import { html } from "htm/preact";
import { api } from "../../api";
import { type Column, DataTable } from "../../components/data-table";
import { DryRun, type FactName } from "./payment-facts";
import type { ConfigVersion, Evaluation } from "./routing-types";

const FACTS: FactName[] = ["amount", "currency", "payment_method", "customer_country", "order_no", "metadata"];

export function RoutingDryRun({ version }: { version: ConfigVersion }) {
  // this version's configuration, given inline: the active one may be another
  const evaluate = (body: Record<string, unknown>) =>
    api<Evaluation>("/api/v1/routing/evaluate", { method: "POST", body: { ...body, config: version.config } });
  const show = (result: Evaluation) => html`<${EvaluationResult} result=${result} version=${version.version} />`;
  return html`<${DryRun} names=${FACTS} evaluate=${evaluate} show=${show} />`;
}

function decidedBy(result: Evaluation): string {
  if (result.strategy === "rule") return `Rule “${result.rule}”`;
  if (result.strategy === "default") return "The default (no rule matched)";
  return "No rule matched and there is no default: your default channel";
}

const SKIPPED_COLUMNS: Column<Evaluation["skipped"][number]>[] = [
  { header: "Channel", cell: (s) => s.channel },
  { header: "Why", cell: (s) => s.reason },
];

type Score = NonNullable<Evaluation["dynamic"]>["scores"][number];
const BASIS = { method_currency: "this payment method and currency", channel: "the channel overall", default: "too few attempts: the default" };
const SCORE_COLUMNS: Column<Score>[] = [
  { header: "Channel", cell: (s) => s.channel },
  { header: "Success rate", cell: (s) => `${Math.round(s.score * 1000) / 10}%`, numeric: true },
  { header: "Attempts counted", cell: (s) => s.sample, numeric: true },
  { header: "From", cell: (s) => BASIS[s.basis] },
];

function EvaluationResult({ result, version }: { result: Evaluation; version: number }) {
  return html`<div class="panel controls-result" role="region" aria-label="Where this payment would go" aria-live="polite">
    <h3>Where this payment would go (version ${version})</h3>
    <p class="controls-verdict">Chosen channel: <strong>${result.chosen ?? "none"}</strong></p>
    <dl class="detail-list">
      <dt>Decided by</dt>
      <dd>${decidedBy(result)}</dd>
      ${result.leg !== null && html`<dt>Split leg</dt><dd>${result.leg + 1}</dd>`}
      <dt>Channels, in the order they would be tried</dt>
      <dd>${result.candidates.length === 0 ? "None" : html`<ol class="controls-inline-list">${result.candidates.map((c) => html`<li>${c}</li>`)}</ol>`}</dd>
      ${result.payment_no && html`<dt>Payment number</dt><dd><code>${result.payment_no}</code></dd>`}
      ${result.dynamic?.explored && html`<dt>Explored</dt><dd>${result.dynamic.explored} first, instead of the leader</dd>`}
    </dl>
    <${DataTable} caption="Skipped channels" columns=${SKIPPED_COLUMNS} rows=${result.skipped} rowKey=${(s: { channel: string }) => s.channel}
      empty="None: every listed channel can take this payment." />
    ${result.dynamic &&
    html`<${DataTable} caption="Success-rate ordering" columns=${SCORE_COLUMNS} rows=${result.dynamic.scores} rowKey=${(s: Score) => s.channel} />`}
  </div>`;
}
