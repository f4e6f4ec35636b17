// The built-in risk rules (issue #15): written here in the rule language, run for every merchant
// and mode unless the merchant switched them off (settings.ts). Within each action they come after
// the platform's rules and before the merchant's own (decision.ts), so an operator's rule still
// decides first, and a merchant's allow rule (allow is tried before block) can exempt its buyers.
// - card_testing_guard, both modes: an email or IP with more than 5 failed payments in the last
//   hour is blocked (card testers try many cards; each decline feeds the counters).
// - test mode only, the payment's metadata `risk_test` picks an action, so a merchant can watch
//   each one happen end to end: 'block' (402), 'review' (a review opens), 'allow' (stops every
//   later rule, blocks included).
import type { RuleRef } from "./decision";
import { parseRule, type Predicate } from "./rule-language";
import type { RiskRuleRow } from "./rules-store";

type BuiltinRow = Pick<RiskRuleRow, "id" | "name" | "action" | "predicate" | "position"> & { testModeOnly: boolean };

/** How many failed payments in an hour an email or IP may have before the guard blocks its next one. */
export const CARD_TESTING_FAILURES = 5;

export const BUILTIN_RULES: readonly BuiltinRow[] = [
  {
    id: "builtin_card_testing_guard",
    name: "card_testing_guard",
    action: "block",
    predicate: `:failed_payments_per_email_hourly: > ${CARD_TESTING_FAILURES} or :failed_payments_per_ip_hourly: > ${CARD_TESTING_FAILURES}`,
    position: 1,
    testModeOnly: false,
  },
  { id: "builtin_risk_test_block", name: "risk_test_block", action: "block", predicate: "::risk_test:: = 'block'", position: 2, testModeOnly: true },
  { id: "builtin_risk_test_review", name: "risk_test_review", action: "review", predicate: "::risk_test:: = 'review'", position: 3, testModeOnly: true },
  { id: "builtin_risk_test_allow", name: "risk_test_allow", action: "allow", predicate: "::risk_test:: = 'allow'", position: 4, testModeOnly: true },
];

export type BuiltinRule = RuleRef & { predicate: Predicate };

/** Parsed on first use: once per isolate. */
let parsed: { live: BuiltinRule[]; test: BuiltinRule[] } | undefined;

/** The built-in rules of a mode, parsed. */
export function builtinRules(livemode: boolean): readonly BuiltinRule[] {
  if (!parsed) {
    const all = BUILTIN_RULES.map((row) => ({
      rule: { id: row.id, name: row.name, action: row.action, shadow: false, platform: true, builtin: true as const, position: row.position, predicate: parseRule(row.predicate) },
      testModeOnly: row.testModeOnly,
    }));
    parsed = { live: all.filter((r) => !r.testModeOnly).map((r) => r.rule), test: all.map((r) => r.rule) };
  }
  return livemode ? parsed.live : parsed.test;
}
