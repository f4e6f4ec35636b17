// Money that did not go as asked is recorded once per kind, with its amount once the channel says
// what the buyer paid; a repeated report changes nothing.
import { describe, expect, it } from "vitest";
import { recordException } from "../../shared/payments/exceptions";
import type { PaymentRecord } from "../../shared/payments/payment";

const payment = (exceptions?: PaymentRecord["exceptions"]) =>
  ({ amount: 10000, currency: "USD", exceptions }) as PaymentRecord;
const late = { code: "paid_late" as const, message: "Paid after the invoice expired." };
const over = { code: "overpaid" as const, message: "Paid more than asked." };

describe("recordException", () => {
  it("records a new exception without an amount while the channel has not said what was paid", () => {
    expect(recordException(payment(), late, null, 5)).toEqual([{ ...late, amount: null, recordedAt: 5 }]);
  });

  it("counts all of a late or partial payment, and only the excess of an overpayment", () => {
    expect(recordException(payment(), late, { amount: 10000, currency: "USD" }, 5)![0]!.amount).toBe(10000);
    expect(recordException(payment(), { code: "underpaid", message: "m" }, { amount: 4000, currency: "USD" }, 5)![0]!.amount).toBe(4000);
    expect(recordException(payment(), over, { amount: 11000, currency: "USD" }, 5)![0]!.amount).toBe(1000);
  });

  it("learns the amount of one recorded before, keeping when it was recorded", () => {
    const recorded = recordException(payment(), over, null, 5)!;
    expect(recordException(payment(recorded), over, { amount: 10500, currency: "USD" }, 9)).toEqual([{ ...over, amount: 500, recordedAt: 5 }]);
  });

  it("changes nothing for a repeat, or for an amount in another currency", () => {
    const recorded = recordException(payment(), over, { amount: 10500, currency: "USD" }, 5)!;
    expect(recordException(payment(recorded), over, { amount: 10500, currency: "USD" }, 9)).toBeNull();
    expect(recordException(payment(recorded), over, null, 9)).toBeNull();
    expect(recordException(payment(), over, { amount: 10500, currency: "EUR" }, 5)![0]!.amount).toBeNull();
  });

  it("keeps each kind once, beside the others", () => {
    const first = recordException(payment(), late, null, 5)!;
    expect(recordException(payment(first), over, null, 6)!.map((e) => e.code)).toEqual(["paid_late", "overpaid"]);
  });
});
