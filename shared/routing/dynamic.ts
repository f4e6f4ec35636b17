// Dynamic ordering on top of a configuration's candidates: best success rate first, with a share of
// payments sent off the leader so the others keep being measured (exploration), and candidates
// whose circuit is open set aside (elimination). Pure: the health figures and the draws are given.
// A payment's draws come from its payment_no, so a repeated create of one payment orders alike.
import type { ChannelName } from "../channels/registry";
import { admits, circuitAt, CLOSED_CIRCUIT, halfOpensAt, type Circuit, type CircuitParams } from "./circuit";

/** Settled attempts a figure needs before its success rate is believed. */
export const DYNAMIC_MIN_SAMPLE = 20;
/** The score of a channel with too few settled attempts anywhere: neither trusted nor shunned. */
export const DEFAULT_SCORE = 0.5;

export interface SuccessFigures {
  succeeded: number;
  /** succeeded + declined + outages. */
  settled: number;
}

export interface ChannelHealth {
  circuit: Circuit;
  overall: SuccessFigures;
  /** By statsKey(payment_method, currency). */
  byKey: Record<string, SuccessFigures>;
}

/** What the create path reads from the merchant's health object (one hop), per channel. */
export interface HealthSnapshot {
  at: number;
  channels: Partial<Record<ChannelName, ChannelHealth>>;
}

/** The key of a (payment_method, currency) bucket in byKey: `${paymentMethod ?? "*"}|${currency}`. */
export const statsKey = (paymentMethod: string | null, currency: string) => `${paymentMethod ?? "*"}|${currency}`;

export interface Score {
  channel: ChannelName;
  /** Success rate, 0–1. */
  score: number;
  /** Settled attempts the score rests on; 0 for the default. */
  sample: number;
  basis: "method_currency" | "channel" | "default";
}

/**
 * The channel's success rate for this payment: its (method, currency) bucket when that has
 * minSample settled attempts, else the channel overall when that has, else defaultScore.
 */
export function scoreOf(
  health: ChannelHealth | undefined,
  channel: ChannelName,
  facts: { paymentMethod: string | null; currency: string },
  minSample: number,
  defaultScore: number,
): Score {
  const figures: Array<[Score["basis"], SuccessFigures | undefined]> = [
    ["method_currency", health?.byKey[statsKey(facts.paymentMethod, facts.currency)]],
    ["channel", health?.overall],
  ];
  for (const [basis, f] of figures) {
    if (f && f.settled >= minSample) return { channel, score: f.succeeded / f.settled, sample: f.settled, basis };
  }
  return { channel, score: defaultScore, sample: 0, basis: "default" };
}

/**
 * Candidates best score first (stable: ties keep the configuration's order; a candidate without a
 * score goes last); then with probability explorationPercent/100 (draws[0] < p) one of the others,
 * picked uniformly by draws[1], goes first and the rest keep their rank behind it. `draws` are two
 * numbers in [0, 1).
 */
export function rankBySuccessRate(
  candidates: readonly ChannelName[],
  scores: readonly Score[],
  explorationPercent: number,
  draws: readonly [number, number],
): { order: ChannelName[]; explored: ChannelName | null } {
  const scoreOfChannel = new Map(scores.map((s) => [s.channel, s.score]));
  const rank = (channel: ChannelName) => scoreOfChannel.get(channel) ?? -Infinity;
  const order = [...candidates].sort((a, b) => rank(b) - rank(a));
  if (order.length < 2 || draws[0] >= explorationPercent / 100) return { order, explored: null };
  const [explored] = order.splice(1 + Math.floor(draws[1] * (order.length - 1)), 1);
  return { order: [explored!, ...order], explored: explored! };
}

/** Why the circuit turns this payment away, or null when it admits it. */
function refusal(circuit: Circuit, now: number, params: CircuitParams, draw: number): string | null {
  if (admits(circuit, now, params, draw)) return null;
  const current = circuitAt(circuit, now, params);
  if (current.status === "half_open") return "circuit half-open: not a probe";
  return `circuit open until ${new Date(halfOpensAt(current, params)).toISOString()}`;
}

/**
 * Drops candidates whose circuit does not admit the payment, each with its reason; a channel the
 * snapshot does not know has a closed circuit. When that would drop every candidate, keeps them all
 * in order, skips none and says so (allOpen true): a payment is never refused for circuits alone.
 */
export function eliminate(
  candidates: readonly ChannelName[],
  health: HealthSnapshot,
  now: number,
  params: CircuitParams,
  draw: number,
): { kept: ChannelName[]; skipped: Array<{ channel: ChannelName; reason: string }>; allOpen: boolean } {
  const kept: ChannelName[] = [];
  const skipped: Array<{ channel: ChannelName; reason: string }> = [];
  for (const channel of candidates) {
    const reason = refusal(health.channels[channel]?.circuit ?? CLOSED_CIRCUIT, now, params, draw);
    if (reason === null) kept.push(channel);
    else skipped.push({ channel, reason });
  }
  if (kept.length === 0 && candidates.length > 0) return { kept: [...candidates], skipped: [], allOpen: true };
  return { kept, skipped, allOpen: false };
}

const encoder = new TextEncoder();

/**
 * A payment's three draws in [0, 1): [exploration?, which channel explored, circuit probe?]. From
 * SHA-256 of the payment_no salted apart from the split's hash (shared/routing/split.ts), so they
 * are independent of the leg the payment took, and the same on every create of the payment.
 */
export async function drawsFor(paymentNo: string): Promise<[number, number, number]> {
  const digest = new DataView(await crypto.subtle.digest("SHA-256", encoder.encode(`routing-dynamic:${paymentNo}`)));
  const at = (word: number) => digest.getUint32(word * 4) / 2 ** 32;
  return [at(0), at(1), at(2)];
}
