import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { checkAmountCeiling, currencySchema, minorUnitsSchema } from "../../shared/money/amount";
import { CURRENCIES, findCurrency } from "../../shared/money/currencies";
import { validationError } from "../../workers/openapi/validation";

const Money = z
  .strictObject({ amount: minorUnitsSchema, currency: currencySchema })
  .superRefine(checkAmountCeiling);

/** What the API would answer for this body: the parsed money or the 400's code and param. */
function check(body: unknown) {
  const result = Money.safeParse(body);
  if (result.success) return result.data;
  const error = validationError(result.error, "json", body);
  return { code: error.code, param: error.param };
}

describe("currencies", () => {
  it("supports at least the seed's 32 currencies", () => {
    expect(CURRENCIES.size).toBeGreaterThanOrEqual(32);
  });

  it.each([
    ["USD", 2], ["EUR", 2], ["GBP", 2], ["CNY", 2],
    ["JPY", 0], ["KRW", 0], ["VND", 0], ["CLP", 0], ["ISK", 0], ["UGX", 0],
    ["BHD", 3], ["KWD", 3], ["JOD", 3], ["OMR", 3], ["TND", 3],
  ])("%s has exponent %i", (code, exponent) => {
    expect(findCurrency(code)?.exponent).toBe(exponent);
  });

  it("gives every currency a ceiling that is a safe integer", () => {
    for (const currency of CURRENCIES.values()) {
      expect(Number.isSafeInteger(currency.maxAmount)).toBe(true);
      expect(currency.maxAmount).toBeGreaterThan(0);
    }
  });
});

describe("amounts", () => {
  it("accepts a positive integer in minor units and normalizes the currency code", () => {
    expect(check({ amount: 10000, currency: "usd" })).toEqual({ amount: 10000, currency: "USD" });
    expect(check({ amount: 1, currency: "JPY" })).toEqual({ amount: 1, currency: "JPY" });
  });

  it("accepts the ceiling itself and refuses one minor unit more", () => {
    for (const code of ["USD", "JPY", "BHD", "IDR"]) {
      const max = findCurrency(code)!.maxAmount;
      expect(check({ amount: max, currency: code })).toEqual({ amount: max, currency: code });
      expect(check({ amount: max + 1, currency: code })).toEqual({ code: "amount_too_large", param: "amount" });
    }
  });

  it.each([
    [0, "parameter_invalid"],
    [-100, "parameter_invalid"],
    [10.5, "parameter_invalid"],
    ["100", "parameter_invalid"],
    [undefined, "parameter_missing"],
  ])("refuses amount %s with %s", (amount, code) => {
    expect(check({ amount, currency: "USD" })).toEqual({ code, param: "amount" });
  });

  it("refuses an unsupported currency with currency_unsupported", () => {
    expect(check({ amount: 100, currency: "XYZ" })).toEqual({ code: "currency_unsupported", param: "currency" });
    expect(check({ amount: 100, currency: 840 })).toEqual({ code: "parameter_invalid", param: "currency" });
  });
});
