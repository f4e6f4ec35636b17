// A risk decision as the API shows it (on a payment, and from the dry run).
import { toIso } from "../time";
import type { RiskDecision } from "./decision";

export const riskJson = (d: RiskDecision) => ({
  action: d.action,
  // decisions stored before scores had none
  score: d.score ?? null,
  rule: d.rule,
  rules: d.rules,
  evaluated_at: toIso(d.evaluatedAt),
});
