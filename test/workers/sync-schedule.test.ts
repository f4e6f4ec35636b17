// The pure decisions of reconciliation: when a payment is synced with its channel next, whether it
// needs to be, and when an event's amount cannot be about a payment.
import { describe, expect, it } from "vitest";
import { moneyMismatch, type PaymentRecord } from "../../shared/payments/payment";
import { SYNC_DELAYS_MS, SYNC_WINDOW_MS, needsSync, nextSyncAt } from "../../shared/payments/sync";
import type { RefundRecord } from "../../shared/refunds/refund";

const MINUTE = 60_000;
const changedAt = 1_000_000_000_000;

describe("nextSyncAt", () => {
  it("syncs first the reconcile threshold after the last change", () => {
    expect(nextSyncAt(changedAt, 0, changedAt, 2 * MINUTE)).toBe(changedAt + 2 * MINUTE);
  });

  it("backs off from each sync: 5 min, 15 min, 1 h, 6 h, then every 24 h", () => {
    const waits = [1, 2, 3, 4, 5, 6, 7].map((attempts) => nextSyncAt(changedAt, attempts, changedAt + MINUTE, 2 * MINUTE)! - (changedAt + MINUTE));
    expect(waits).toEqual([5 * MINUTE, 15 * MINUTE, 60 * MINUTE, 360 * MINUTE, 1440 * MINUTE, 1440 * MINUTE, 1440 * MINUTE]);
    expect(SYNC_DELAYS_MS.at(-1)).toBe(1440 * MINUTE);
  });

  it("stops once the next sync would fall past the window after the last change", () => {
    expect(nextSyncAt(changedAt, 6, changedAt + SYNC_WINDOW_MS - 25 * 60 * MINUTE, 2 * MINUTE)).not.toBeNull();
    expect(nextSyncAt(changedAt, 6, changedAt + SYNC_WINDOW_MS - 23 * 60 * MINUTE, 2 * MINUTE)).toBeNull();
  });
});

describe("needsSync", () => {
  const payment = (status: PaymentRecord["status"]) => ({ status }) as PaymentRecord;
  const refund = (status: RefundRecord["status"]) => ({ status }) as RefundRecord;

  it.each([
    ["pending", [], true],
    ["requires_action", [], true],
    ["processing", [], true],
    ["succeeded", [], false],
    ["failed", [], false],
    ["cancelled", [], false],
    ["refunded", [], false],
    ["succeeded", ["pending"], true],
    ["partially_refunded", ["succeeded", "pending"], true],
    ["partially_refunded", ["succeeded", "failed"], false],
  ] as const)("a %s payment with refunds %j: %s", (status, refunds, expected) => {
    expect(needsSync(payment(status), refunds.map(refund))).toBe(expected);
  });
});

describe("moneyMismatch", () => {
  const expected = { amount: 5000, currency: "USD" };

  it("accepts the payment's own amount and an event that states none", () => {
    expect(moneyMismatch(expected, { amount: 5000, currency: "USD" })).toBeNull();
    expect(moneyMismatch(expected, null)).toBeNull();
  });

  it.each([
    [{ amount: 1, currency: "USD" }, "the event is for 1 USD, not 5000 USD"],
    [{ amount: 5000, currency: "EUR" }, "the event is for 5000 EUR, not 5000 USD"],
    [{ amount: 50000, currency: "USD" }, "the event is for 50000 USD, not 5000 USD"],
  ])("refuses %j with the reason", (reported, reason) => {
    expect(moneyMismatch(expected, reported)).toBe(reason);
  });
});
