// The risk API's shapes as the dashboard reads them (workers/routes/risk/*.routes.ts): rules,
// settings, a dry run's answer, lists and their values (a decision's own shape is in api-types.ts).
import type { Risk } from "../../api-types";
import type { RiskAction } from "../../../../shared/risk/decision";

export const RULES_PATH = "/api/v1/risk/rules";
export const LISTS_PATH = "/api/v1/risk/lists";

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

/** The dry run's answer: the decision a payment would get, and the facts the rules read. */
export interface RiskEvaluation extends Risk {
  object: "risk_evaluation";
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
