// Volume splits (shared/routing/split.ts): payments spread over the legs in proportion to their
// weights, and one payment always takes the same leg.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { paymentNoFor } from "../../shared/payments/payment-no";
import { legAt, legFor, splitPoint } from "../../shared/routing/split";

const N = 100_000;

/** The payment numbers of N orders of one merchant, as creates derive them. */
const paymentNos = Promise.all(Array.from({ length: N }, (_, i) => paymentNoFor("mch_split_test", false, `ORD-${i}`)));

async function shares(weights: number[]): Promise<number[]> {
  const counts = weights.map(() => 0);
  for (const paymentNo of await paymentNos) counts[await legFor(paymentNo, weights)]!++;
  return counts.map((count) => (count / N) * 100);
}

describe("a volume split over 100,000 payments", () => {
  it.each([
    [[70, 30]],
    [[50, 30, 20]],
    [[34, 33, 33]],
    [[10, 80, 10]],
  ])("%j lands within ±1 percentage point of each weight", async (weights) => {
    const landed = await shares(weights);
    weights.forEach((weight, leg) => expect(Math.abs(landed[leg]! - weight), `leg ${leg}: ${landed[leg]}%`).toBeLessThan(1));
  }, 60_000);
});

describe("a payment's leg", () => {
  it("is the same every time for the same payment_no", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 30 }), async (orderNo) => {
        const paymentNo = await paymentNoFor("mch_split_test", true, orderNo);
        const first = await legFor(paymentNo, [70, 30]);
        return (await legFor(paymentNo, [70, 30])) === first && (await legFor(paymentNo, [70, 30])) === first;
      }),
    );
  });

  it("is the leg whose share of [0, 1) holds the payment's point", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.integer({ min: 1, max: 99 }), (point, first) => {
        const leg = legAt(point, [first, 100 - first]);
        return leg === (point * 100 < first ? 0 : 1);
      }),
    );
    expect(legAt(0, [1, 98, 1])).toBe(0);
    expect(legAt(0.999_999, [1, 98, 1])).toBe(2);
    expect(legAt(0.5, [100])).toBe(0);
  });

  it("falls at a point in [0, 1)", async () => {
    for (const paymentNo of (await paymentNos).slice(0, 1000)) {
      const point = await splitPoint(paymentNo);
      expect(point).toBeGreaterThanOrEqual(0);
      expect(point).toBeLessThan(1);
    }
  });
});
