// The risk dry run (POST /api/v1/risk/evaluate): the facts of a payment in; out, what the rules
// would decide, which rule decided, every rule tried with whether it matched, and the facts the
// rules read. Nothing is stored and no velocity counter moves.
import { html } from "htm/preact";
import { api } from "../../api";
import { type Column, DataTable } from "../../components/data-table";
import { StatusBadge } from "../../components/status-badge";
import type { RuleResult } from "../../../../shared/risk/decision";
import { DryRun, type FactName } from "./payment-facts";
import type { RiskEvaluation } from "./risk-types";

const FACTS: FactName[] = ["amount", "currency", "customer_email", "customer_country", "customer_ip", "payment_method", "order_no", "metadata"];

const evaluate = (body: Record<string, unknown>) => api<RiskEvaluation>("/api/v1/risk/evaluate", { method: "POST", body });
const showDecision = (result: RiskEvaluation) => html`<${RiskDecision} result=${result} />`;

export function RiskDryRun() {
  return html`<${DryRun} names=${FACTS} evaluate=${evaluate} show=${showDecision} />`;
}

const ruleSource = (rule: { platform: boolean; builtin?: true }) =>
  rule.builtin ? "built-in" : rule.platform ? "platform" : "yours";

const RULE_COLUMNS: Column<RuleResult>[] = [
  { header: "Rule", cell: (r) => r.name },
  { header: "Action", cell: (r) => html`<${StatusBadge} status=${r.action} />` },
  { header: "Whose", cell: ruleSource },
  { header: "Enforced", cell: (r) => (r.shadow ? "No: shadow" : "Yes") },
  { header: "Matched", cell: (r) => (r.matched ? html`<strong>Yes</strong>` : "No") },
];

interface Fact {
  name: string;
  value: number | string | null;
}
const FACT_COLUMNS: Column<Fact>[] = [
  // metadata comes as ::key::, the rest by bare name: both as a rule writes them
  { header: "Attribute", cell: (f) => html`<code>${f.name.startsWith("::") ? f.name : `:${f.name}:`}</code>` },
  { header: "Value", cell: (f) => (f.value === null ? html`<span class="muted">not stated</span>` : String(f.value)) },
];

function RiskDecision({ result }: { result: RiskEvaluation }) {
  const facts = Object.entries(result.facts).map(([name, value]) => ({ name, value }));
  return html`<div class="panel controls-result" role="region" aria-label="What the rules would decide" aria-live="polite">
    <h3>What the rules would decide</h3>
    <p class="controls-verdict">Action: <${StatusBadge} status=${result.action} /></p>
    <dl class="detail-list">
      <dt>Decided by</dt>
      <dd>${result.rule ? html`${result.rule.name} (${ruleSource(result.rule)})` : "No rule matched: allowed"}</dd>
      <dt>Risk score</dt>
      <dd>${result.score === null ? "—" : `${result.score} of 100`}</dd>
    </dl>
    <${DataTable} caption="Every rule tried, in order" columns=${RULE_COLUMNS} rows=${result.rules} rowKey=${(r: RuleResult) => r.id}
      empty="No rules to try." />
    <${DataTable} caption="Facts the rules read" columns=${FACT_COLUMNS} rows=${facts} rowKey=${(f: Fact) => f.name}
      empty="The rules read no facts." />
  </div>`;
}
