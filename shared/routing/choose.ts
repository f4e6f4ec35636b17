// Routes a payment by a configuration: evaluate it, reorder and filter the candidates by the
// merchant's channel health when the configuration asks (success rate, exploration, circuits),
// then line up the first max_attempts candidates the merchant has an account on: the payment's
// attempts follow that plan. What it found goes on the payment as `routing`.
import { definitionOf, routeFor, type ChannelName, type ChannelRoute } from "../channels/registry";
import type { Owner } from "../payments/payment";
import { CIRCUIT_DEFAULTS } from "./circuit";
import type { RoutingConfig } from "./config";
import { DEFAULT_SCORE, DYNAMIC_MIN_SAMPLE, drawsFor, eliminate, rankBySuccessRate, scoreOf, type Score } from "./dynamic";
import { evaluate, type Evaluation } from "./evaluate";
import { healthSnapshotFor } from "./health-cache";
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
  /** What dynamic ordering did: each candidate's score and the channel exploration put first; null when off. */
  dynamic?: { scores: Score[]; explored: ChannelName | null } | null;
}

/** The health figures reorder and filter the candidates, as the configuration's `dynamic` asks. */
async function applyHealth(env: Env, owner: Owner, config: RoutingConfig, facts: PaymentFacts, paymentNo: string | null, evaluation: Evaluation) {
  const { success_rate, elimination, exploration_percent } = config.dynamic;
  let candidates = evaluation.candidates;
  if (!(success_rate || elimination) || candidates.length === 0) return { candidates, skipped: [], dynamic: null };
  const [snapshot, draws] = await Promise.all([
    healthSnapshotFor(env, owner),
    // a dry run without order_no has no payment to fix its draws by
    paymentNo ? drawsFor(paymentNo) : ([Math.random(), Math.random(), Math.random()] as const),
  ]);
  const skipped = elimination ? eliminate(candidates, snapshot, Date.now(), CIRCUIT_DEFAULTS, draws[2]) : null;
  if (skipped) candidates = skipped.kept;
  if (!success_rate) return { candidates, skipped: skipped?.skipped ?? [], dynamic: null };
  const scores = candidates.map((channel) =>
    scoreOf(snapshot.channels[channel], channel, { paymentMethod: facts.payment_method, currency: facts.currency }, DYNAMIC_MIN_SAMPLE, DEFAULT_SCORE),
  );
  const ranked = rankBySuccessRate(candidates, scores, exploration_percent, [draws[0], draws[1]]);
  return { candidates: ranked.order, skipped: skipped?.skipped ?? [], dynamic: { scores, explored: ranked.explored } };
}

/**
 * The routing and the plan: up to max_attempts routes, the first the payment's first attempt.
 * `candidates` are the channels in the order they would be tried; accounts are looked up (a D1
 * read for a merchant's own) only until the plan is full, so later ones are listed unchecked.
 */
export async function routeByConfig(
  env: Env,
  owner: Owner,
  source: RoutingSource,
  facts: PaymentFacts,
  paymentNo: string | null,
): Promise<{ routing: Routing; plan: ChannelRoute[] }> {
  const evaluation = await evaluate(source.config, facts, paymentNo, (channel) => servingProblem(definitionOf(channel), facts, owner.livemode)?.reason ?? null);
  const health = await applyHealth(env, owner, source.config, facts, paymentNo, evaluation);
  const skipped = [...evaluation.skipped, ...health.skipped];
  const plan: ChannelRoute[] = [];
  const unchecked = [...health.candidates];
  while (unchecked.length > 0 && plan.length < source.config.max_attempts) {
    const channel = unchecked.shift()!;
    const route = await routeFor(channel, env, owner.merchantId, owner.livemode);
    if (route) plan.push(route);
    else skipped.push({ channel, reason: noAccountReason(env, definitionOf(channel), owner.livemode) });
  }
  const candidates = [...plan.map((r) => r.channel), ...unchecked];
  return { plan, routing: { config: source.ref, ...evaluation, candidates, skipped, chosen: plan[0]?.channel ?? null, dynamic: health.dynamic } };
}
