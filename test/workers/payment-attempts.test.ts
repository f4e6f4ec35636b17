// What failover may do, decided apart from the object that runs it: how a failed create is read
// (outage, unknown, retriable or final decline), where the next attempt goes, and how attempts
// follow the payment.
import { describe, expect, it } from "vitest";
import { ChannelError } from "../../shared/channels/adapter";
import {
  attemptFor,
  attemptsAfter,
  attemptsOf,
  failOver,
  idempotencyKeyOf,
  nextRoute,
  retriableFailureIn,
  settledOutcome,
  verdictOf,
  type PlannedRoute,
} from "../../shared/payments/attempts";
import type { PaymentRecord } from "../../shared/payments/payment";

const PLAN: PlannedRoute[] = [
  { channel: "sandbox", channelAccount: null },
  { channel: "stripe", channelAccount: "mch_1" },
  { channel: "paypal", channelAccount: null },
];

const payment = (over: Partial<PaymentRecord> = {}) =>
  ({
    paymentNo: "PY1",
    merchantId: "mch_1",
    livemode: false,
    amount: 1000,
    currency: "USD",
    paymentMethod: null,
    status: "pending",
    channel: "sandbox",
    channelAccount: null,
    channelPaymentId: null,
    failure: null,
    createdAt: 1,
    updatedAt: 1,
    plan: PLAN,
    maxAttempts: 3,
    ...over,
  }) as PaymentRecord;

describe("verdictOf: how a failed create is read", () => {
  it.each([
    ["an outage the channel did not act on fails over at once", new ChannelError("sandbox_unavailable", "m", 502, undefined, { notProcessed: true }), "outage"],
    ["an outage of unknown outcome (a timeout) must be asked about first", new ChannelError("sandbox_timeout", "m", 502), "unknown"],
    ["a decline the channel marks retriable", new ChannelError("processing_error", "m", 402), "retriable_decline"],
    ["a hard decline is final", new ChannelError("card_declined", "m", 402), "refused"],
    ["insufficient funds is final", new ChannelError("insufficient_funds", "m", 402), "refused"],
    ["a bad request is final", new ChannelError("amount_invalid", "m", 400), "refused"],
  ])("%s", (_, error, kind) => {
    expect(verdictOf("sandbox", error).kind).toBe(kind);
  });

  it("reads retriable codes from the channel's own table", () => {
    const rateLimited = new ChannelError("rate_limit", "m", 402);
    expect(verdictOf("stripe", rateLimited).kind).toBe("retriable_decline");
    expect(verdictOf("paypal", rateLimited).kind).toBe("refused");
  });

  it("a made payment that failed retriably is told apart from a hard decline", () => {
    expect(retriableFailureIn("sandbox", "failed", { code: "processing_error", message: "" })).toBe(true);
    expect(retriableFailureIn("sandbox", "failed", { code: "card_declined", message: "" })).toBe(false);
    expect(retriableFailureIn("sandbox", "pending", { code: "processing_error", message: "" })).toBe(false);
  });
});

describe("nextRoute: where failover may go", () => {
  it("takes the plan's next channel while attempts are left", () => {
    expect(nextRoute(payment(), PLAN, 3)).toEqual(PLAN[1]);
    const second = failOver(payment(), PLAN[1]!, { failure: { code: "x", message: "" }, channelPaymentId: null, latencyMs: 5 }, 2);
    expect(nextRoute(second, PLAN, 3)).toEqual(PLAN[2]);
  });

  it("stops at max_attempts, and at the end of the plan", () => {
    expect(nextRoute(payment(), PLAN, 1)).toBeNull();
    expect(nextRoute(payment({ plan: PLAN.slice(0, 1) }), PLAN.slice(0, 1), 5)).toBeNull();
  });

  it.each(["requires_action", "processing", "succeeded"] as const)("never once an attempt reached %s (the buyer acted, or money moved)", (status) => {
    const acted = payment({ status, attempts: [{ ...attemptsOf(payment())[0]!, status }] });
    expect(nextRoute(acted, PLAN, 3)).toBeNull();
  });
});

describe("attempts follow the payment", () => {
  it("a payment stored before attempts existed had one, described by its own channel fields", () => {
    const legacy = payment({ channelPaymentId: "sbpi_1", status: "succeeded" });
    expect(attemptsOf(legacy)).toEqual([expect.objectContaining({ attemptNo: 1, channel: "sandbox", channelPaymentId: "sbpi_1", status: "succeeded", version: 0 })]);
  });

  it("failover freezes the attempt that failed and starts the next, clean", () => {
    const moved = failOver(payment({ clientSecret: "s", failure: null }), PLAN[1]!, { failure: { code: "sandbox_unavailable", message: "down" }, channelPaymentId: null, latencyMs: 7 }, 9);
    expect(moved).toMatchObject({ channel: "stripe", channelAccount: "mch_1", channelPaymentId: null, clientSecret: null, failure: null, status: "pending" });
    expect(moved.attempts).toEqual([
      expect.objectContaining({ attemptNo: 1, channel: "sandbox", status: "failed", failure: { code: "sandbox_unavailable", message: "down" }, latencyMs: 7 }),
      expect.objectContaining({ attemptNo: 2, channel: "stripe", channelAccount: "mch_1", status: "pending", failure: null, createdAt: 9 }),
    ]);
  });

  it("the current attempt takes the payment's status; refunds leave it succeeded; an unchanged one keeps its version", () => {
    const first = attemptsAfter(payment(), 12, 5);
    expect(first[0]).toMatchObject({ status: "pending", latencyMs: 12, version: 1 });
    const same = attemptsAfter(payment({ attempts: first }), null, 6);
    expect(same).toBe(first);
    const refunded = attemptsAfter(payment({ attempts: first, status: "refunded", channelPaymentId: "sbpi_1" }), null, 7);
    expect(refunded[0]).toMatchObject({ status: "succeeded", channelPaymentId: "sbpi_1", version: 2, latencyMs: 12 });
  });

  it("reports an attempt settling, once", () => {
    const [before] = attemptsAfter(payment(), null, 1);
    const [after] = attemptsAfter(payment({ attempts: [before!], status: "succeeded" }), null, 2);
    expect(settledOutcome(payment(), before!, after!, 2)).toMatchObject({ channel: "sandbox", kind: "succeeded", latencyMs: null });
    expect(settledOutcome(payment(), after!, after!, 3)).toBeNull();
  });

  it("each attempt has its own idempotency key at the channel; the first keeps the key payments always had", () => {
    expect(idempotencyKeyOf("PY1", 1)).toBe("PY1:attempt-1");
    expect(idempotencyKeyOf("PY1", 2)).toBe("PY1:attempt-2");
  });

  it("finds an event's attempt by the channel and account it came through", () => {
    const moved = failOver(payment(), PLAN[1]!, { failure: { code: "x", message: "" }, channelPaymentId: "sbpi_1", latencyMs: 1 }, 2);
    expect(attemptFor(moved, { channel: "sandbox", account: null })?.attemptNo).toBe(1);
    expect(attemptFor(moved, { channel: "stripe", account: "mch_1" })?.attemptNo).toBe(2);
    expect(attemptFor(moved, { channel: "stripe", account: null })).toBeNull();
  });
});
