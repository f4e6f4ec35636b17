// Routes a payment by a configuration: evaluate it, then take the first candidate the merchant has
// an account on. What it found (the version, the evaluation, the channel chosen) goes on the
// payment as `routing`.
import { definitionOf, routeFor, type ChannelName, type ChannelRoute } from "../channels/registry";
import type { Owner } from "../payments/payment";
import type { RoutingConfig } from "./config";
import { evaluate, type Evaluation } from "./evaluate";
import type { PaymentFacts } from "./rules";
import { noAccountReason, servingProblem } from "./serving";
import type { ConfigRef } from "./store";

/** A configuration to route by: a stored version, or one given inline to a dry run (ref null). */
export interface RoutingSource {
  ref: ConfigRef | null;
  config: RoutingConfig;
}

export interface Routing extends Evaluation {
  config: ConfigRef | null;
  /**
   * The channel the payment went to: the first candidate with an account (the candidates start with
   * it), or with strategy none the merchant's default channel. Null: none could take the payment.
   */
  chosen: ChannelName | null;
}

export async function routeByConfig(
  env: Env,
  owner: Owner,
  source: RoutingSource,
  facts: PaymentFacts,
  paymentNo: string | null,
): Promise<{ routing: Routing; route: ChannelRoute | null }> {
  const evaluation = await evaluate(source.config, facts, paymentNo, (channel) => servingProblem(definitionOf(channel), facts, owner.livemode)?.reason ?? null);
  const skipped = [...evaluation.skipped];
  for (const [i, channel] of evaluation.candidates.entries()) {
    // one at a time: an account can cost a D1 read, and the first that serves ends the search
    const route = await routeFor(channel, env, owner.merchantId, owner.livemode);
    if (route) return { route, routing: { config: source.ref, ...evaluation, candidates: evaluation.candidates.slice(i), skipped, chosen: channel } };
    skipped.push({ channel, reason: noAccountReason(env, definitionOf(channel), owner.livemode) });
  }
  return { route: null, routing: { config: source.ref, ...evaluation, candidates: [], skipped, chosen: null } };
}
