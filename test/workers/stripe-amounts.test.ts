import { describe, expect, it } from "vitest";
import { ChannelError } from "../../shared/channels/adapter";
import { fromStripeAmount, stripeExponent, toStripeAmount } from "../../shared/channels/stripe/amounts";
import { CURRENCIES } from "../../shared/money/currencies";

describe("Stripe amount conversion", () => {
  it.each([
    // currency, platform minor units, Stripe amount
    ["USD", 1050, 1050],
    ["EUR", 1, 1],
    ["GBP", 99_999_999, 99_999_999],
    ["JPY", 500, 500],
    ["KRW", 12_000, 12_000],
    ["VND", 250_000, 250_000],
    ["CLP", 9_990, 9_990],
    ["UGX", 5_000, 5_000],
    ["ISK", 5, 500],
    ["BHD", 1_230, 1_230],
    ["KWD", 10, 10],
    ["JOD", 1_000, 1_000],
    ["OMR", 990, 990],
    ["TND", 20, 20],
  ])("%s %i -> %i and back", (currency, amount, stripeAmount) => {
    expect(toStripeAmount(amount, currency)).toBe(stripeAmount);
    expect(fromStripeAmount(stripeAmount, currency)).toBe(amount);
  });

  it("refuses three-decimal amounts that are not multiples of 10", () => {
    for (const currency of ["BHD", "JOD", "KWD", "OMR", "TND"]) {
      expect(() => toStripeAmount(1_005, currency)).toThrow(ChannelError);
    }
  });

  it("round-trips every supported currency", () => {
    for (const { code } of CURRENCIES.values()) {
      const amount = stripeExponent(code) === 3 ? 12_340 : 12_345;
      expect(fromStripeAmount(toStripeAmount(amount, code), code)).toBe(amount);
    }
  });
});
