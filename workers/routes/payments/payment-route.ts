// The channel a new payment goes to and the checks on what the merchant asked for; shared by POST
// /payments, POST /orders/:no/pay and the routing dry run (POST /routing/evaluate). A channel the
// merchant names is taken as asked (a routing configuration never overrides it); otherwise the
// merchant's active routing configuration for the mode decides, and without one, or when it has
// nothing to say about the payment (no rule matched, no default), the first default channel that
// serves the mode.
import { defaultRoute, definitionOf, routeFor, type AnyChannelDefinition, type ChannelName, type ChannelRoute } from "../../../shared/channels/registry";
import { invalidRequest } from "../../../shared/errors";
import { targetUrlProblem } from "../../../shared/notifications/target-url";
import { routeByConfig, type Routing, type RoutingSource } from "../../../shared/routing/choose";
import type { PaymentFacts } from "../../../shared/routing/rules";
import { noAccountReason, servingProblem } from "../../../shared/routing/serving";
import { activeConfig } from "../../../shared/routing/store";
import type { PlannedRoute } from "../../../shared/payments/attempts";
import type { RiskDecision } from "../../../shared/risk/decision";
import { ownerOf, type AuthContext } from "../../app-env";

/** What the merchant asked for, as the payment's create body says it. */
export interface PaymentAsk {
  channel?: ChannelName;
  notify_url?: string;
  amount: number;
  currency: string;
  payment_method?: string;
  customer_country?: string;
  metadata?: Record<string, string>;
}

/** The first route, how routing chose it, and the attempts' plan (failover follows it up to maxAttempts). */
export type ResolvedRoute = ChannelRoute & { routing: Routing | null; plan: PlannedRoute[]; maxAttempts: number };

const alone = (route: ChannelRoute, routing: Routing | null): ResolvedRoute => ({
  ...route,
  routing,
  plan: [{ channel: route.channel, channelAccount: route.account }],
  maxAttempts: 1,
});

const factsOf = (asked: PaymentAsk): PaymentFacts => ({
  amount: asked.amount,
  currency: asked.currency,
  payment_method: asked.payment_method ?? null,
  customer_country: asked.customer_country ?? null,
  metadata: asked.metadata ?? {},
});

function refuseUnservable(definition: AnyChannelDefinition, asked: PaymentAsk, livemode: boolean): void {
  const problem = servingProblem(definition, asked, livemode);
  if (problem) {
    const instead = problem.instead ? `; ${problem.instead}` : "";
    throw invalidRequest(problem.code, `Channel ${definition.name} ${problem.reason}${instead}.`, problem.param);
  }
}

/** The channel the merchant named, or else the first default one, refused when it cannot take the payment. */
async function namedOrDefaultRoute(env: Env, auth: AuthContext, asked: PaymentAsk): Promise<ChannelRoute> {
  const { merchant, livemode } = auth;
  if (asked.channel) {
    const definition = definitionOf(asked.channel);
    refuseUnservable(definition, asked, livemode);
    const route = await routeFor(asked.channel, env, merchant.id, livemode);
    if (!route) throw invalidRequest("channel_unavailable", `Channel ${asked.channel} ${noAccountReason(env, definition, livemode)}.`, "channel");
    return route;
  }
  const route = await defaultRoute(env, merchant.id, livemode);
  if (!route) {
    throw invalidRequest("channel_unavailable", `No channel is configured for ${livemode ? "live" : "test"} mode (the sandbox serves test mode only).`, "channel");
  }
  refuseUnservable(route.definition, asked, livemode);
  return route;
}

function noCandidate(routing: Routing) {
  const decided = routing.strategy === "rule" ? `rule '${routing.rule}'` : "the default";
  const config = routing.config ? `routing configuration version ${routing.config.version}` : "the routing configuration";
  const why = routing.skipped.map((s) => `${s.channel} ${s.reason}`).join("; ");
  return invalidRequest("channel_unavailable", `No channel ${decided} of ${config} lists can take this payment: ${why}.`, "channel");
}

/**
 * `paymentNo` fixes a volume split's leg (null only in a dry run without order_no); `source`
 * replaces the active configuration (a dry run's inline one).
 */
export async function resolvePaymentRoute(
  env: Env,
  auth: AuthContext,
  asked: PaymentAsk,
  paymentNo: string | null,
  source?: RoutingSource,
): Promise<ResolvedRoute> {
  const problem = asked.notify_url === undefined ? null : targetUrlProblem(asked.notify_url, auth.livemode);
  if (problem) throw invalidRequest("url_not_allowed", `notify_url ${problem}.`, "notify_url");
  if (asked.channel) return alone(await namedOrDefaultRoute(env, auth, asked), null);
  const config = source ?? (await activeConfig(env, ownerOf(auth)));
  if (!config) return alone(await namedOrDefaultRoute(env, auth, asked), null);
  const { plan, routing } = await routeByConfig(env, ownerOf(auth), config, factsOf(asked), paymentNo);
  if (plan[0]) {
    return { ...plan[0], routing, plan: plan.map((r) => ({ channel: r.channel, channelAccount: r.account })), maxAttempts: config.config.max_attempts };
  }
  if (routing.strategy !== "none") throw noCandidate(routing);
  const fallback = await namedOrDefaultRoute(env, auth, asked);
  return alone(fallback, { ...routing, chosen: fallback.channel });
}

/** What routing and the risk assessment decided, as a new payment records it. */
export const decidedFor = (route: ResolvedRoute, risk: { decision: RiskDecision; amountUsdCents: number | null }) => ({
  channel: route.channel,
  channelAccount: route.account,
  routing: route.routing,
  plan: route.plan,
  maxAttempts: route.maxAttempts,
  risk: risk.decision,
  amountUsdCents: risk.amountUsdCents,
});
