// A routing configuration in words: its rules in the order they are tried (when, then), the
// default, dynamic ordering and the attempts a payment may make, and the JSON as stored.
import { html } from "htm/preact";
import { type Column, DataTable } from "../../components/data-table";
import type { Condition, Output, RoutingConfig } from "./routing-types";

const OPS: Record<string, string> = { eq: "is", ne: "is not", lt: "<", lte: "≤", gt: ">", gte: "≥", in: "is one of", not_in: "is not one of" };

/** `currency is EUR and amount ≥ 100000`: nested groups in parentheses. */
function conditionText(condition: Condition): string {
  const inner = (c: Condition) => ("field" in c ? conditionText(c) : `(${conditionText(c)})`);
  if ("all" in condition) return condition.all.map(inner).join(" and ");
  if ("any" in condition) return condition.any.map(inner).join(" or ");
  if ("not" in condition) return `not ${inner(condition.not)}`;
  const value = Array.isArray(condition.value) ? `(${condition.value.join(", ")})` : String(condition.value);
  return `${condition.field} ${OPS[condition.op] ?? condition.op} ${value}`;
}

/** `stripe → paypal`, or `70%: sandbox → stripe; 30%: stripe → sandbox`. */
function outputText(output: Output): string {
  if ("priority" in output) return output.priority.join(" → ");
  return output.split.map((leg) => `${leg.weight}%: ${leg.priority.join(" → ")}`).join("; ");
}

type Rule = RoutingConfig["rules"][number];

const RULE_COLUMNS: Column<Rule & { order: number }>[] = [
  { header: "Order", cell: (rule) => rule.order, numeric: true },
  { header: "Name", cell: (rule) => rule.name },
  { header: "When", cell: (rule) => html`<code>${conditionText(rule.when)}</code>` },
  { header: "Then, in order", cell: (rule) => outputText(rule.then) },
];

const onOff = (on: boolean) => (on ? "On" : "Off");

export function ConfigView({ config }: { config: RoutingConfig }) {
  const { dynamic } = config;
  return html`<${DataTable}
      caption="Rules, tried in order: the first that matches decides"
      columns=${RULE_COLUMNS}
      rows=${config.rules.map((rule, i) => ({ ...rule, order: i + 1 }))}
      rowKey=${(rule: Rule) => rule.name}
      empty="No rules: every payment takes the default."
    />
    <dl class="detail-list panel">
      <dt>Default</dt>
      <dd>${config.default ? outputText(config.default) : "None: payments no rule matches go to your default channel."}</dd>
      <dt>Success-rate ordering</dt>
      <dd>${onOff(dynamic.success_rate)}${dynamic.success_rate && `, exploring ${dynamic.exploration_percent}% of payments`}</dd>
      <dt>Elimination (circuit breaker)</dt>
      <dd>${onOff(dynamic.elimination)}</dd>
      <dt>Attempts per payment</dt>
      <dd>${config.max_attempts}</dd>
    </dl>
    <details class="controls-json">
      <summary>The configuration as JSON</summary>
      <pre><code>${JSON.stringify(config, null, 2)}</code></pre>
    </details>`;
}
