// The routing API's shapes as the dashboard reads them (workers/routes/routing/routing.schemas.ts and
// shared/routing/config.ts): versions of the configuration, a dry run's answer, channel health.
import type { Routing } from "../../api-types";

export const CONFIGS_PATH = "/api/v1/routing/configs";

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { field: string; op: string; value: number | string | Array<number | string> };

export type Output = { priority: string[] } | { split: Array<{ weight: number; priority: string[] }> };

export interface RoutingConfig {
  name: string;
  rules: Array<{ name: string; when: Condition; then: Output }>;
  default?: Output;
  dynamic: { success_rate: boolean; exploration_percent: number; elimination: boolean };
  max_attempts: number;
}

export interface ConfigVersion {
  id: string;
  object: "routing_config";
  livemode: boolean;
  version: number;
  name: string;
  active: boolean;
  config: RoutingConfig;
  created_at: string;
  activated_at: string | null;
}

/** The dry run's answer: the decision a payment would get (RoutingSchema), and its payment number. */
export interface Evaluation extends Routing {
  object: "routing_evaluation";
  payment_no: string | null;
}

export interface ChannelHealth {
  channel: string;
  attempts: number;
  succeeded: number;
  declined: number;
  outages: number;
  success_rate: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  circuit: { state: "closed" | "open" | "half_open"; consecutive_outages: number; opened_at: string | null; half_opens_at: string | null };
}

export interface Health {
  object: "routing_health";
  livemode: boolean;
  window_seconds: number;
  data: ChannelHealth[];
}
