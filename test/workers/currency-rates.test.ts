// Currency rates for :amount_in_usd:: set by operators (admin token), never invented; conversion to
// US cents is exact (BigInt, each currency's exponent) and rounds half-up; a currency without a
// rate has no amount in USD.
import { env } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findCurrency } from "../../shared/money/currencies";
import { RATES_CACHE_TTL_MS, toUsdCents, usdCents } from "../../shared/risk/rates";
import { TEST_ADMIN_TOKEN } from "../constants";
import { api, createMerchant, errorOf } from "./helpers";

interface RatesJson {
  object: "currency_rates";
  data: Array<{ currency: string; usd_rate: string; updated_at: string }>;
}

const PATH = "/api/v1/admin/currency-rates";
const putRates = (rates: unknown, key = TEST_ADMIN_TOKEN) => api(PATH, { method: "PUT", key, body: { rates } });

async function ok<T>(res: Response, status = 200): Promise<T> {
  expect(res.status, await res.clone().text()).toBe(status);
  return res.json<T>();
}

const rateOf = (table: RatesJson, currency: string) => table.data.find((row) => row.currency === currency);

/**
 * The reference: amount × rate × 100 / 10^exponent cents as an exact fraction, rounded half-up as
 * floor((2n + d) / 2d), a formulation independent of the one under test.
 */
function referenceCents(amountMinor: number, exponent: number, rate: string): bigint {
  const [whole, fraction = ""] = rate.split(".");
  const n = BigInt(amountMinor) * BigInt(`${whole}${fraction}`) * 100n;
  const d = 10n ** BigInt(exponent + fraction.length);
  return (2n * n + d) / (2n * d);
}

describe("the currency rates routes", () => {
  it("need the admin token: none, a wrong one or a merchant's key is 401", async () => {
    const m = await createMerchant();
    for (const key of [undefined, "wrong-token", m.testKey, m.liveKey]) {
      expect(await errorOf(await api(PATH, { key })), String(key)).toMatchObject({ status: 401 });
      const res = await api(PATH, { method: "PUT", key, body: { rates: { EUR: "9.99" } } });
      expect(await errorOf(res), String(key)).toMatchObject({ status: 401 });
    }
    expect(rateOf(await ok<RatesJson>(await api(PATH, { key: TEST_ADMIN_TOKEN })), "EUR")?.usd_rate).not.toBe("9.99");
  });

  it("set rates (others keep theirs) and answer the whole table, by currency, rates without redundant zeros", async () => {
    const first = await ok<RatesJson>(await putRates({ JPY: "0.0067", EUR: "01.0800", GBP: "1.27" }));
    expect(first.object).toBe("currency_rates");
    expect(first.data.map((r) => r.currency)).toEqual([...first.data.map((r) => r.currency)].sort());
    expect(rateOf(first, "EUR")).toEqual({ currency: "EUR", usd_rate: "1.08", updated_at: expect.any(String) });
    expect(rateOf(first, "JPY")?.usd_rate).toBe("0.0067");
    expect(rateOf(first, "USD")).toBeUndefined();

    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await ok<RatesJson>(await putRates({ EUR: "1.1" }));
    expect(rateOf(second, "EUR")?.usd_rate).toBe("1.1");
    expect(rateOf(second, "EUR")!.updated_at > rateOf(first, "EUR")!.updated_at).toBe(true);
    expect(rateOf(second, "JPY")).toEqual(rateOf(first, "JPY"));
    expect(rateOf(second, "GBP")).toEqual(rateOf(first, "GBP"));
    expect(await ok<RatesJson>(await api(PATH, { key: TEST_ADMIN_TOKEN }))).toEqual(second);
  });

  it("take every currency the platform knows in one request", async () => {
    const codes = ["EUR", "GBP", "CNY", "HKD", "SGD", "AUD", "CAD", "CHF", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "INR", "IDR", "MYR",
      "PHP", "THB", "TWD", "BRL", "MXN", "ZAR", "AED", "SAR", "ILS", "TRY", "EGP", "JPY", "KRW", "VND", "CLP", "ISK", "UGX", "PYG", "XAF", "XOF",
      "BHD", "KWD", "JOD", "OMR"];
    const table = await ok<RatesJson>(await putRates(Object.fromEntries(codes.map((code, i) => [code, `${i + 1}.5`]))));
    for (const [i, code] of codes.entries()) expect(rateOf(table, code)?.usd_rate).toBe(`${i + 1}.5`);
    // back to the rates the other tests read
    await ok(await putRates({ EUR: "1.1", GBP: "1.27", JPY: "0.0067" }));
  });

  it.each([
    ["an unknown currency", { XYZ: "1" }, "rates.XYZ", "currency_unsupported"],
    ["USD (always 1)", { USD: "1" }, "rates.USD", "parameter_invalid"],
    ["a lower-case code", { eur: "1.08" }, "rates.eur", "parameter_invalid"],
    ["a number, not a string", { EUR: 1.08 }, "rates.EUR", "parameter_invalid"],
    ["a negative rate", { EUR: "-1.08" }, "rates.EUR", "parameter_invalid"],
    ["a zero rate", { EUR: "0.000" }, "rates.EUR", "parameter_invalid"],
    ["an exponent", { EUR: "1e3" }, "rates.EUR", "parameter_invalid"],
    ["a comma", { EUR: "1,08" }, "rates.EUR", "parameter_invalid"],
    ["13 significant digits", { EUR: "1.234567890123" }, "rates.EUR", "parameter_invalid"],
    ["19 decimal places", { EUR: "0.0000000000000000001" }, "rates.EUR", "parameter_invalid"],
    ["no currency", {}, "rates", "parameter_invalid"],
  ])("refuse %s with a 400 naming it, changing nothing", async (_, rates, param, code) => {
    const before = await ok<RatesJson>(await api(PATH, { key: TEST_ADMIN_TOKEN }));
    expect(await errorOf(await putRates(rates))).toMatchObject({ status: 400, param, code });
    expect(await ok<RatesJson>(await api(PATH, { key: TEST_ADMIN_TOKEN }))).toEqual(before);
  });

  it("refuse a body without rates, or with anything else", async () => {
    expect(await errorOf(await api(PATH, { method: "PUT", key: TEST_ADMIN_TOKEN, body: {} }))).toMatchObject({ status: 400, param: "rates", code: "parameter_missing" });
    expect(await errorOf(await api(PATH, { method: "PUT", key: TEST_ADMIN_TOKEN, body: { rates: { EUR: "1" }, base: "USD" } }))).toMatchObject({
      status: 400,
      param: "base",
      code: "parameter_unknown",
    });
  });

  it("take 12 significant digits and 18 decimal places", async () => {
    const table = await ok<RatesJson>(await putRates({ VND: "0.000039370078740", KRW: "0.000000000000000007" }));
    expect(rateOf(table, "VND")?.usd_rate).toBe("0.00003937007874");
    expect(rateOf(table, "KRW")?.usd_rate).toBe("0.000000000000000007");
  });
});

describe("usdCents", () => {
  it("converts exactly, by each currency's exponent, rounding half-up to whole cents", async () => {
    await ok(await putRates({ EUR: "1.1", JPY: "0.0067", BHD: "2.65" }));
    expect(await usdCents(env, 12345, "USD")).toBe(12345);
    expect(await usdCents(env, 10000, "EUR")).toBe(11000);
    // €1.15 × 1.1 = $1.265: 126.5 cents up to 127 (Math.round(1.15 * 1.1 * 100) gives 126)
    expect(await usdCents(env, 115, "EUR")).toBe(127);
    expect(await usdCents(env, 1000, "JPY")).toBe(670); // ¥1000 × 0.0067 = $6.70
    expect(await usdCents(env, 75, "JPY")).toBe(50); // ¥75 × 0.0067 = 50.25 cents
    expect(await usdCents(env, 1234, "BHD")).toBe(327); // 1.234 BD × 2.65 = $3.2701
    expect(await usdCents(env, 1, "BHD")).toBe(0); // 0.001 BD = 0.265 cents
    expect(await usdCents(env, 2, "BHD")).toBe(1); // 0.53 cents
    expect(await usdCents(env, 10000, "eur")).toBe(11000);
    expect(await usdCents(env, findCurrency("JPY")!.maxAmount, "JPY")).toBe(669_999_999);
  });

  it("is null for a currency without a rate, or one the platform does not know", async () => {
    expect(await usdCents(env, 1000, "TND")).toBeNull();
    expect(await usdCents(env, 1000, "XYZ")).toBeNull();
  });

  it("equals the BigInt reference for any amount of JPY, USD, BHD and EUR", async () => {
    await ok(await putRates({ EUR: "1.0843", JPY: "0.006712", BHD: "2.6525" }));
    const rates: Record<string, string> = { USD: "1", EUR: "1.0843", JPY: "0.006712", BHD: "2.6525" };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("JPY", "USD", "BHD", "EUR"), fc.nat(), async (currency, n) => {
        const { exponent, maxAmount } = findCurrency(currency)!;
        const amount = n % (maxAmount + 1);
        expect(BigInt((await usdCents(env, amount, currency))!)).toBe(referenceCents(amount, exponent, rates[currency]!));
      }),
      { numRuns: 500 },
    );
  });

  it("toUsdCents equals the BigInt reference for any rate of at most 12 significant digits (as the nearest double past 2^53 cents)", () => {
    const rate = fc
      .tuple(fc.bigInt({ min: 1n, max: 999_999_999_999n }), fc.integer({ min: 0, max: 18 }))
      .map(([digits, decimals]) => {
        const text = digits.toString().padStart(decimals + 1, "0");
        return decimals === 0 ? text : `${text.slice(0, -decimals)}.${text.slice(-decimals)}`;
      });
    fc.assert(
      fc.property(fc.constantFrom(0, 2, 3), fc.integer({ min: 0, max: 999_999_999_999 }), rate, (exponent, amount, r) => {
        const cents = toUsdCents(amount, exponent, r);
        const reference = referenceCents(amount, exponent, r);
        if (reference <= BigInt(Number.MAX_SAFE_INTEGER)) expect(BigInt(cents)).toBe(reference);
        else expect(cents).toBe(Number(reference));
      }),
      { numRuns: 2000 },
    );
  });

  it("rounds a half away from zero, and below a half toward it", () => {
    expect(toUsdCents(1, 2, "0.5")).toBe(1);
    expect(toUsdCents(1, 2, "0.4999")).toBe(0);
    expect(toUsdCents(-1, 2, "0.5")).toBe(-1);
    expect(toUsdCents(-1, 2, "0.4999")).toBe(0);
  });

  it("reads the table once per isolate for a while; a PUT in this isolate is seen at once", async () => {
    await ok(await putRates({ GBP: "1.27" }));
    const now = Date.now();
    expect(await usdCents(env, 100, "GBP", now)).toBe(127);
    // another isolate's write, straight into D1: seen here once the cached table expires
    await env.DB.prepare("UPDATE currency_rates SET usd_rate = '1.3' WHERE currency = 'GBP'").run();
    expect(await usdCents(env, 100, "GBP", now + 1)).toBe(127);
    expect(await usdCents(env, 100, "GBP", now + RATES_CACHE_TTL_MS)).toBe(130);
    await ok(await putRates({ GBP: "1.25" }));
    expect(await usdCents(env, 100, "GBP", now + RATES_CACHE_TTL_MS + 1)).toBe(125);
  });
});
