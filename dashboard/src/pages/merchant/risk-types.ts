// The risk API's shapes as the dashboard reads them (workers/routes/risk/*.routes.ts): rules,
// settings, a dry run's answer, lists and their values.

export const RULES_PATH = "/api/v1/risk/rules";
export const LISTS_PATH = "/api/v1/risk/lists";

export type RiskAction = "allow" | "block" | "review";

/** In the order a payment meets them: allow first, then block, then review. */
export const ACTIONS: RiskAction[] = ["allow", "block", "review"];

export interface RiskRule {
  id: string;
  object: "risk_rule";
  livemode: boolean;
  platform: boolean;
  name: string;
  action: RiskAction;
  predicate: string;
  shadow: boolean;
  position: number;
  created_at: string;
  updated_at: string;
}

export interface RiskSettings {
  object: "risk_settings";
  livemode: boolean;
  builtin_rules: boolean;
  updated_at: string | null;
}

export interface RuleResult {
  id: string;
  name: string;
  action: RiskAction;
  shadow: boolean;
  platform: boolean;
  builtin?: true;
  matched: boolean;
}

export interface RiskEvaluation {
  object: "risk_evaluation";
  action: RiskAction;
  score: number | null;
  rule: { id: string; name: string; platform: boolean; builtin?: true } | null;
  rules: RuleResult[];
  evaluated_at: string;
  facts: Record<string, number | string | null>;
}

export interface RiskList {
  object: "risk_list";
  name: string;
  item_count: number;
}

export interface RiskListItem {
  object: "risk_list_item";
  list: string;
  value: string;
  created_at: string;
}
