// Why a payment went where it went: its attempts, one per channel tried, the routing decision that
// ordered them, and what the risk rules decided before any channel was called (with its review).
import { html } from "htm/preact";
import type { Attempt, Payment, Routing } from "../../api-types";
import { type Column, DataTable } from "../../components/data-table";
import { DetailsList } from "../../components/details-list";
import { StatusBadge } from "../../components/status-badge";
import { Time } from "../../components/time";
import type { RuleResult } from "../../../../shared/risk/decision";

const attemptColumns: Column<Attempt>[] = [
  { header: "#", cell: (a) => a.attempt_no, numeric: true },
  { header: "Channel", cell: (a) => a.channel },
  { header: "Status", cell: (a) => html`<${StatusBadge} status=${a.status} />` },
  { header: "Failure", cell: (a) => (a.failure ? html`<code>${a.failure.code}</code> ${a.failure.message}` : "—") },
  { header: "Channel took", cell: (a) => (a.latency_ms === null ? "—" : `${a.latency_ms} ms`), numeric: true },
  { header: "Started", cell: (a) => html`<${Time} value=${a.created_at} />` },
];

const STRATEGIES: Record<Routing["strategy"], string> = {
  rule: "A rule matched",
  default: "No rule matched; the default decided",
  none: "No rule matched and there is no default; your default channel took it",
};

const BASES = { method_currency: "this method and currency", channel: "the channel overall", default: "the default, too few attempts" };

function RoutingDecision({ routing }: { routing: Routing | null }) {
  if (!routing) {
    return html`<p>No routing configuration chose the channel: the payment named its channel, or none was active.</p>`;
  }
  return html`<${DetailsList}
    label="Routing decision"
    rows=${[
      ["Decided by", STRATEGIES[routing.strategy]],
      ["Rule", routing.rule],
      ["Configuration", routing.config && html`<code>${routing.config.id}</code> version ${routing.config.version}`],
      ["Split leg", routing.leg === null ? null : String(routing.leg + 1)],
      ["Order tried", routing.candidates.join(" → ") || "None"],
      ["Chosen", routing.chosen ?? "None"],
      ["Skipped", routing.skipped.length > 0 && html`<ul>${routing.skipped.map((s) => html`<li>${s.channel}: ${s.reason}</li>`)}</ul>`],
      [
        "Success rates",
        routing.dynamic &&
          html`<ul>
            ${routing.dynamic.scores.map(
              (s) => html`<li>${s.channel}: ${Math.round(s.score * 100)}% over ${s.sample} attempts (${BASES[s.basis]})</li>`,
            )}
          </ul>`,
      ],
      ["Explored", routing.dynamic?.explored],
    ]}
  />`;
}

export function AttemptsAndRouting({ payment }: { payment: Payment }) {
  return html`<section class="panel" aria-labelledby="attempts-heading">
    <h2 id="attempts-heading">Attempts and routing</h2>
    <${DataTable}
      caption="Attempts, oldest first"
      columns=${attemptColumns}
      rows=${payment.attempts ?? []}
      rowKey=${(a: Attempt) => String(a.attempt_no)}
      empty="No channel was called."
    />
    <h3>Routing decision</h3>
    <${RoutingDecision} routing=${payment.routing} />
  </section>`;
}

const ruleColumns: Column<RuleResult>[] = [
  { header: "Rule", cell: (r) => r.name },
  { header: "Action", cell: (r) => r.action },
  { header: "Matched", cell: (r) => (r.matched ? "Yes" : "No") },
  { header: "Shadow", cell: (r) => (r.shadow ? "Yes, not enforced" : "No") },
];

export function RiskDecision({ payment }: { payment: Payment }) {
  const { risk, review } = payment;
  return html`<section class="panel" aria-labelledby="risk-heading">
    <h2 id="risk-heading">Risk</h2>
    ${risk === null
      ? html`<p>No risk decision is recorded for this payment.</p>`
      : html`<${DetailsList}
            label="Risk decision"
            rows=${[
              ["Decision", html`<${StatusBadge} status=${risk.action} />`],
              ["Score", risk.score === null ? null : `${risk.score} of 100`],
              ["Decided by", risk.rule ? risk.rule.name : "No rule matched"],
              ["Evaluated", html`<${Time} value=${risk.evaluated_at} />`],
              [
                "Review",
                review &&
                  html`<${StatusBadge} status=${review.status} /> opened <${Time} value=${review.opened_at} />${review.closed_at &&
                  html`, closed <${Time} value=${review.closed_at} />`}`,
              ],
            ]}
          />
          <${DataTable}
            caption="Rules tried, in order"
            columns=${ruleColumns}
            rows=${risk.rules}
            rowKey=${(r: RuleResult) => r.id}
            empty="No rules."
          />`}
  </section>`;
}
