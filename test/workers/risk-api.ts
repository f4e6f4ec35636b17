// Test-side shapes of the risk API, and the rules a decision tried but the built-in ones
// (risk-builtins.test.ts covers those).
import type { PaymentJson } from "./helpers";

export interface RuleJson {
  id: string;
  object: string;
  livemode: boolean;
  platform: boolean;
  name: string;
  action: string;
  predicate: string;
  shadow: boolean;
  position: number;
}

export interface RiskJson {
  action: string;
  score: number | null;
  rule: { id: string; name: string; platform: boolean } | null;
  rules: Array<{ id: string; name: string; action: string; shadow: boolean; platform: boolean; builtin?: true; matched: boolean }>;
  evaluated_at: string;
}

export type Assessed = PaymentJson & { risk: RiskJson | null; customer_ip: string | null };

export const nonBuiltin = (risk: { rules: Array<{ builtin?: true }> } | null) => risk!.rules.filter((r) => !r.builtin);
