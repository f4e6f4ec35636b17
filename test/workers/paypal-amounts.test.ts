import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChannelError } from "../../shared/channels/adapter";
import { PAYPAL_CURRENCIES, fromPayPalValue, paypalExponent, toPayPalValue } from "../../shared/channels/paypal/amounts";
import { findCurrency } from "../../shared/money/currencies";

describe("PayPal amount conversion", () => {
  it.each([
    // currency, platform minor units, PayPal value
    ["USD", 1999, "19.99"],
    ["USD", 5, "0.05"],
    ["EUR", 100, "1.00"],
    ["GBP", 99_999_999, "999999.99"],
    ["CHF", 0, "0.00"],
    ["JPY", 100, "100"],
    ["JPY", 1, "1"],
    ["HUF", 1500, "15"],
    ["TWD", 123_400, "1234"],
  ])("%s %i <-> %s", (currency, amount, value) => {
    expect(toPayPalValue(amount, currency)).toBe(value);
    expect(fromPayPalValue(value, currency)).toBe(amount);
  });

  it("refuses HUF and TWD amounts that are not whole units, as PayPal takes no decimals there", () => {
    for (const currency of ["HUF", "TWD"]) {
      expect(() => toPayPalValue(1550, currency)).toThrow(
        expect.objectContaining({ code: "amount_precision_unsupported", status: 400, message: expect.stringContaining(currency) }),
      );
    }
  });

  it("refuses a currency PayPal does not take, and one the platform does not know", () => {
    for (const currency of ["INR", "KRW", "BHD", "XYZ"]) {
      expect(() => toPayPalValue(1000, currency)).toThrow(expect.objectContaining({ code: "currency_unsupported", status: 400 }));
    }
  });

  it("reads PayPal's values exactly, and refuses one that is not whole minor units", () => {
    expect(fromPayPalValue("19.9", "USD")).toBe(1990);
    expect(fromPayPalValue("19.990", "USD")).toBe(1999);
    expect(fromPayPalValue("15.50", "HUF")).toBe(1550);
    for (const [value, currency] of [["19.999", "USD"], ["1.5", "JPY"], ["-1.00", "USD"], ["1e3", "USD"], ["", "USD"]]) {
      expect(() => fromPayPalValue(value!, currency!)).toThrow(ChannelError);
    }
  });

  it("never goes through a float: 0.1 + 0.2 of a currency stays exact", () => {
    expect(fromPayPalValue("0.10", "USD") + fromPayPalValue("0.20", "USD")).toBe(fromPayPalValue("0.30", "USD"));
    expect(toPayPalValue(Number.MAX_SAFE_INTEGER, "USD")).toBe("90071992547409.91");
  });

  it("round-trips every amount PayPal can take, in every currency it takes", () => {
    fc.assert(
      fc.property(fc.constantFrom(...PAYPAL_CURRENCIES), fc.integer({ min: 0, max: 10_000_000_000 }), (currency, units) => {
        // in a currency PayPal takes whole, only whole units can be sent
        const step = 10 ** (findCurrency(currency)!.exponent - paypalExponent(currency));
        const amount = units * step;
        const value = toPayPalValue(amount, currency);
        expect(value).toMatch(paypalExponent(currency) === 0 ? /^\d+$/ : /^\d+\.\d{2}$/);
        expect(fromPayPalValue(value, currency)).toBe(amount);
      }),
    );
  });
});
