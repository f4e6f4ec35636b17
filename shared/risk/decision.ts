// The risk decision for one payment, as Radar makes it: rules are tried by action, allow first,
// then block, then review, and within one action platform rules before the merchant's, each in its
// position; the first rule that matches decides, and none matching allows. A shadow rule is
// evaluated and recorded, never enforced, so a merchant can watch what a rule would do first.
// Pure: the rules come parsed, and whether each matches is given.

export type RiskAction = "allow" | "block" | "review";

export interface RuleRef {
  id: string;
  name: string;
  action: RiskAction;
  shadow: boolean;
  /** A platform rule (written by operators, run for every merchant before its own). */
  platform: boolean;
  position: number;
}

export interface RuleResult {
  id: string;
  name: string;
  action: RiskAction;
  shadow: boolean;
  platform: boolean;
  matched: boolean;
}

export interface RiskDecision {
  action: RiskAction;
  /** The rule that decided; null when none matched (allowed by default). */
  rule: { id: string; name: string; platform: boolean } | null;
  /** Every rule tried, in the order tried, with whether it matched; shadow rules included. */
  rules: RuleResult[];
  evaluatedAt: number;
}

/** Radar's order of actions. */
export const ACTION_ORDER: readonly RiskAction[] = ["allow", "block", "review"];

/** The order rules are tried in. */
export function ordered<R extends RuleRef>(rules: readonly R[]): R[] {
  return [...rules].sort(
    (a, b) =>
      ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action) ||
      Number(b.platform) - Number(a.platform) ||
      a.position - b.position,
  );
}

/**
 * Tries the rules in order. Every rule up to the deciding one is tried, and every shadow rule
 * (wherever it stands) too: what a shadow rule would have done is what its owner wants to see.
 */
export function decide<R extends RuleRef>(rules: readonly R[], matches: (rule: R) => boolean, now: number): RiskDecision {
  const results: RuleResult[] = [];
  let decided: R | null = null;
  for (const rule of ordered(rules)) {
    if (decided && !rule.shadow) continue;
    const matched = matches(rule);
    results.push({ id: rule.id, name: rule.name, action: rule.action, shadow: rule.shadow, platform: rule.platform, matched });
    if (matched && !rule.shadow && !decided) decided = rule;
  }
  return {
    action: decided?.action ?? "allow",
    rule: decided ? { id: decided.id, name: decided.name, platform: decided.platform } : null,
    rules: results,
    evaluatedAt: now,
  };
}
