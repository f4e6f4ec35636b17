// The risk decision for one payment, as Radar makes it. The operators' platform rules come first,
// as a tier of their own, so no merchant rule can exempt a payment from them; then the built-in
// rules (builtin-rules.ts) and the merchant's. Within a tier rules are tried by action, allow
// first, then block, then review (so a merchant's allow exempts its trusted buyers from a built-in
// block), the built-in ones before the merchant's, each in its position; the first rule that
// matches decides, and none matching allows. A shadow rule is evaluated and recorded, never enforced, so a
// merchant can watch what a rule would do first.
// Pure: the rules come parsed, and whether each matches is given.

export type RiskAction = "allow" | "block" | "review";

export interface RuleRef {
  id: string;
  name: string;
  action: RiskAction;
  shadow: boolean;
  /** A platform rule (written by operators, run for every merchant before its own). */
  platform: boolean;
  /** A built-in rule (platform: true, defined in code): after the operators' rules, before the merchant's. */
  builtin?: true;
  position: number;
}

/** A rule as the decision records it: what it is, and whether it matched. */
export type RuleResult = Omit<RuleRef, "position"> & { matched: boolean };

export interface RiskDecision {
  action: RiskAction;
  /**
   * 0–100: how much of the rule set finds the payment risky, whatever decided. Every enforced
   * block and review rule is evaluated for it (block rules weigh 2, review rules 1); the score is
   * the weight of those that match over the weight of them all; 0 with none.
   */
  score: number;
  /** The rule that decided; null when none matched (allowed by default). */
  rule: { id: string; name: string; platform: boolean; builtin?: true } | null;
  /** Every rule tried, in the order tried, with whether it matched; shadow rules included. */
  rules: RuleResult[];
  evaluatedAt: number;
}

/** Radar's order of actions. */
export const ACTION_ORDER: readonly RiskAction[] = ["allow", "block", "review"];

/** The operators' rules are a tier before every other. */
const tier = (rule: RuleRef) => (rule.platform && !rule.builtin ? 0 : 1);
/** Within the merchant's tier and one action: the built-in rules, then the merchant's own. */
const source = (rule: RuleRef) => (rule.builtin ? 0 : 1);

/** The order rules are tried in. */
export function ordered<R extends RuleRef>(rules: readonly R[]): R[] {
  return [...rules].sort(
    (a, b) =>
      tier(a) - tier(b) ||
      ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action) ||
      source(a) - source(b) ||
      a.position - b.position,
  );
}

/** `builtin: true` on a built-in rule's result, nothing on any other's. */
const builtinFlag = (rule: RuleRef) => (rule.builtin ? { builtin: true as const } : {});

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
    results.push({ id: rule.id, name: rule.name, action: rule.action, shadow: rule.shadow, platform: rule.platform, ...builtinFlag(rule), matched });
    if (matched && !rule.shadow && !decided) decided = rule;
  }
  return {
    action: decided?.action ?? "allow",
    score: scoreOf(rules, matches),
    rule: decided ? { id: decided.id, name: decided.name, platform: decided.platform, ...builtinFlag(decided) } : null,
    rules: results,
    evaluatedAt: now,
  };
}

const WEIGHT: Record<RiskAction, number> = { allow: 0, block: 2, review: 1 };

function scoreOf<R extends RuleRef>(rules: readonly R[], matches: (rule: R) => boolean): number {
  let total = 0;
  let matched = 0;
  for (const rule of rules) {
    if (rule.shadow || WEIGHT[rule.action] === 0) continue;
    total += WEIGHT[rule.action];
    if (matches(rule)) matched += WEIGHT[rule.action];
  }
  return total === 0 ? 0 : Math.round((100 * matched) / total);
}
