// A payment's attempts: one per channel tried, each with its own idempotency key at the channel.
// The payment's channel fields (channel, account, channel payment id) are its current attempt's;
// earlier attempts are frozen once the next one starts. What may start the next one is decided
// here, apart from the object that runs it.
import type { ChannelError, ChannelFailure, ChannelName } from "../channels/adapter";
import { definitionOf } from "../channels/registry";
import type { PaymentRecord } from "./payment";
import type { PaymentStatus } from "./state-machine";

export type AttemptStatus = "pending" | "requires_action" | "processing" | "succeeded" | "failed" | "cancelled";

export interface PaymentAttempt {
  attemptNo: number;
  channel: ChannelName;
  /** Whose channel account: a merchant id, or null for the platform's. */
  channelAccount: string | null;
  channelPaymentId: string | null;
  status: AttemptStatus;
  failure: ChannelFailure | null;
  /** How long the channel took to answer the create, when it answered. */
  latencyMs: number | null;
  createdAt: number;
  updatedAt: number;
  /** Bumped on every change; the D1 projection (transactions) only ever applies a newer one. */
  version: number;
}

/** A channel (and account) routing lined up for the payment, in order. */
export interface PlannedRoute {
  channel: ChannelName;
  channelAccount: string | null;
}

/** What an attempt's create came to, as failover sees it. */
export type CreateVerdict =
  /** the channel made the payment (whatever its status) */
  | { kind: "made" }
  /** declined, and the channel's table says another channel may succeed */
  | { kind: "retriable_decline"; failure: ChannelFailure }
  /** the channel certainly did nothing (429, 503, switched off) */
  | { kind: "outage"; failure: ChannelFailure }
  /** the call may or may not have taken effect: ask (replay the create) before anything else */
  | { kind: "unknown"; failure: ChannelFailure }
  /** a final refusal: the payment fails */
  | { kind: "refused"; failure: ChannelFailure };

const ATTEMPT_STATUS: Record<PaymentStatus, AttemptStatus> = {
  pending: "pending",
  requires_action: "requires_action",
  processing: "processing",
  succeeded: "succeeded",
  failed: "failed",
  cancelled: "cancelled",
  // what happens to the money after it was taken is the payment's, not the attempt's
  partially_refunded: "succeeded",
  refunded: "succeeded",
};

export const attemptStatusOf = (status: PaymentStatus): AttemptStatus => ATTEMPT_STATUS[status];

export const idempotencyKeyOf = (paymentNo: string, attemptNo: number) => `${paymentNo}:attempt-${attemptNo}`;

/** The payment's attempts; a payment stored before there were attempts had exactly one. */
export function attemptsOf(payment: PaymentRecord): PaymentAttempt[] {
  if (payment.attempts?.length) return payment.attempts;
  return [{
    attemptNo: 1,
    channel: payment.channel,
    channelAccount: payment.channelAccount,
    channelPaymentId: payment.channelPaymentId,
    status: attemptStatusOf(payment.status),
    failure: payment.failure,
    latencyMs: null,
    createdAt: payment.createdAt,
    updatedAt: payment.updatedAt,
    version: 0,
  }];
}

export const currentAttempt = (payment: PaymentRecord) => attemptsOf(payment).at(-1)!;

/**
 * The attempts as `payment` now stands: the current one takes the payment's channel payment id,
 * status and failure (they are its own); the others stay as they were. Changed ones get a new version.
 */
export function attemptsAfter(payment: PaymentRecord, latencyMs: number | null, now: number): PaymentAttempt[] {
  const attempts = attemptsOf(payment);
  const current = attempts.at(-1)!;
  const next: PaymentAttempt = {
    ...current,
    channelPaymentId: payment.channelPaymentId,
    status: attemptStatusOf(payment.status),
    failure: payment.failure,
    latencyMs: latencyMs ?? current.latencyMs,
  };
  const changed = JSON.stringify(next) !== JSON.stringify(current) || payment.attempts === undefined;
  return changed ? [...attempts.slice(0, -1), { ...next, updatedAt: now, version: current.version + 1 }] : attempts;
}

/** How one create call ended, by the channel's own table of retriable failures. */
export function verdictOf(channel: ChannelName, error: ChannelError): CreateVerdict {
  const failure = { code: error.code, message: error.message };
  if (error.status === 502) return error.notProcessed ? { kind: "outage", failure } : { kind: "unknown", failure };
  if (definitionOf(channel).retriableFailures.has(error.code)) return { kind: "retriable_decline", failure };
  return { kind: "refused", failure };
}

/** A made payment that failed with a failure its channel marks retriable (a decline in the create's answer). */
export const retriableFailureIn = (channel: ChannelName, status: PaymentStatus, failure: ChannelFailure | null) =>
  status === "failed" && failure !== null && definitionOf(channel).retriableFailures.has(failure.code);

/**
 * The route the next attempt takes, or null when there is none: attempts are spent, the plan has
 * no channel left, or the buyer was already asked to act on this payment (never tried elsewhere).
 */
export function nextRoute(payment: PaymentRecord, plan: readonly PlannedRoute[], maxAttempts: number): PlannedRoute | null {
  const attempts = attemptsOf(payment);
  if (attempts.length >= maxAttempts) return null;
  if (attempts.some((a) => a.status === "requires_action" || a.status === "processing" || a.status === "succeeded")) return null;
  return plan[attempts.length] ?? null;
}

/** The payment moved to a new attempt on `route`: pending again, nothing of the last attempt's left on it. */
function startAttempt(payment: PaymentRecord, route: PlannedRoute, now: number): PaymentRecord {
  const attempts = attemptsOf(payment);
  const attempt: PaymentAttempt = {
    attemptNo: attempts.length + 1,
    channel: route.channel,
    channelAccount: route.channelAccount,
    channelPaymentId: null,
    status: "pending",
    failure: null,
    latencyMs: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  return {
    ...payment,
    channel: route.channel,
    channelAccount: route.channelAccount,
    channelPaymentId: null,
    clientSecret: null,
    nextAction: null,
    failure: null,
    attempts: [...attempts, attempt],
  };
}

/**
 * What one attempt's outcome tells routing health (success rates, circuits): the channel answered
 * a create (with its latency), or the attempt succeeded, was declined (the buyer's money, not the
 * channel's fault), or met an outage.
 */
export interface AttemptOutcome {
  channel: ChannelName;
  paymentMethod: string | null;
  currency: string;
  kind: "answered" | "succeeded" | "declined" | "outage";
  latencyMs: number | null;
  at: number;
}

/** An outcome as the health object hears it: `<payment_no>:<version>:<n>` names it, so a redelivery is known. */
export type HeardOutcome = AttemptOutcome & { id: string };

/** The outcome the change from `before` to `after` (one attempt) reports, if it settled it. */
export function settledOutcome(payment: PaymentRecord, before: PaymentAttempt, after: PaymentAttempt, now: number): AttemptOutcome | null {
  if (before.attemptNo !== after.attemptNo || before.status === after.status) return null;
  if (after.status !== "succeeded" && after.status !== "failed") return null;
  return outcomeOf(payment, after.channel, after.status === "succeeded" ? "succeeded" : "declined", null, now);
}

export const outcomeOf = (
  payment: Pick<PaymentRecord, "paymentMethod" | "currency">,
  channel: ChannelName,
  kind: AttemptOutcome["kind"],
  latencyMs: number | null,
  at: number,
): AttemptOutcome => ({ channel, paymentMethod: payment.paymentMethod, currency: payment.currency, kind, latencyMs, at });

/** The attempt a channel event is about: the one on its channel and account (a plan never lists a channel twice). */
export const attemptFor = (payment: PaymentRecord, event: { channel: ChannelName; account: string | null }) =>
  attemptsOf(payment).find((a) => a.channel === event.channel && a.channelAccount === event.account) ?? null;

/** The current attempt ended in `failure` (an outage or a retriable decline), and the next starts on `route`. */
export function failOver(
  payment: PaymentRecord,
  route: PlannedRoute,
  ended: { failure: ChannelFailure; channelPaymentId: string | null; latencyMs: number },
  now: number,
): PaymentRecord {
  const attempts = attemptsOf(payment);
  const last = attempts.at(-1)!;
  const failed: PaymentAttempt = {
    ...last,
    channelPaymentId: ended.channelPaymentId ?? last.channelPaymentId,
    status: "failed",
    failure: ended.failure,
    latencyMs: ended.latencyMs,
    updatedAt: now,
    version: last.version + 1,
  };
  return startAttempt({ ...payment, attempts: [...attempts.slice(0, -1), failed] }, route, now);
}
