// What a unit of each currency is worth in US dollars, for the rules' :amount_in_usd:. Operators
// set the rates (D1, currency_rates); none is invented: a currency without a rate has no amount in
// USD (null), and a rule comparing it matches nothing. USD is 1 by definition and not in the table.
// Conversion is exact: integers (BigInt) scaled by powers of ten, never a float.
import { z } from "@hono/zod-openapi";
import { asc } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { currencyRates } from "../db/schema";
import { findCurrency } from "../money/currencies";

export const MAX_RATE_SIGNIFICANT_DIGITS = 12;
export const MAX_RATE_DECIMALS = 18;

/**
 * A rate as operators give it: a positive decimal string of at most 12 significant digits and 18
 * decimal places, stored without leading or trailing zeros ("01.0800" is "1.08").
 */
export const RateSchema = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'must be a decimal string such as "1.08"')
  .transform((rate, ctx) => {
    const [whole, fraction = ""] = rate.split(".");
    const units = whole!.replace(/^0+/, "") || "0";
    const decimals = fraction.replace(/0+$/, "");
    const significant = (units === "0" ? decimals.replace(/^0+/, "") : units + decimals).length;
    const problem =
      significant === 0 ? "must be greater than zero"
      : significant > MAX_RATE_SIGNIFICANT_DIGITS ? `must have at most ${MAX_RATE_SIGNIFICANT_DIGITS} significant digits`
      : decimals.length > MAX_RATE_DECIMALS ? `must have at most ${MAX_RATE_DECIMALS} decimal places`
      : null;
    if (problem) ctx.addIssue({ code: "custom", message: problem });
    return decimals ? `${units}.${decimals}` : units;
  })
  .openapi({ type: "string", example: "1.08", description: "US dollars per major unit: a positive decimal string, at most 12 significant digits." });

/**
 * `amountMinor` of a currency with `exponent` decimals, at `rate` US dollars a unit (a decimal
 * string), in US cents: amount × rate × 100 / 10^exponent, rounded half away from zero (half-up
 * on the magnitude). Exact up to 2^53 cents ($90 trillion); past that, the nearest double.
 */
export function toUsdCents(amountMinor: number, exponent: number, rate: string): number {
  const [whole, fraction = ""] = rate.split(".");
  const numerator = BigInt(amountMinor) * BigInt(whole! + fraction) * 100n;
  const denominator = 10n ** BigInt(exponent + fraction.length);
  const magnitude = numerator < 0n ? -numerator : numerator;
  let cents = magnitude / denominator;
  if (2n * (magnitude % denominator) >= denominator) cents++;
  return Number(numerator < 0n ? -cents : cents);
}

// ---- the table, and the evaluator's read of it through an isolate-local cache ----
// The table is read at most once per RATES_CACHE_TTL_MS in each isolate. A write evicts it in the
// isolate that writes, at once; other isolates see new rates within the TTL.

export const RATES_CACHE_TTL_MS = 30_000;

let cached: { rates: Map<string, string>; expires: number } | null = null;
/** Counts this isolate's writes, so a read that a write overtook does not cache what it read. */
let writes = 0;

export type RateRow = typeof currencyRates.$inferSelect;

/** The whole table, by currency. */
export const allRates = (env: Env) => drizzle(env.DB).select().from(currencyRates).orderBy(asc(currencyRates.currency)).all();

/**
 * Sets the rates given (others keep theirs) in one statement, whatever their number (a json_each
 * keeps it under D1's 100 bound parameters), and answers the table as it then is.
 */
export async function upsertRates(env: Env, rates: Record<string, string>, now = Date.now()): Promise<RateRow[]> {
  await env.DB.prepare(
    `INSERT INTO currency_rates (currency, usd_rate, updated_at)
     SELECT key, value, ? FROM json_each(?) WHERE true
     ON CONFLICT (currency) DO UPDATE SET usd_rate = excluded.usd_rate, updated_at = excluded.updated_at`,
  )
    .bind(now, JSON.stringify(rates))
    .run();
  writes++;
  cached = null;
  return allRates(env);
}

async function rateTable(env: Env, now: number): Promise<Map<string, string>> {
  if (cached && cached.expires > now) return cached.rates;
  const writesBefore = writes;
  const rates = new Map((await allRates(env)).map((row) => [row.currency, row.usdRate]));
  if (writes === writesBefore) cached = { rates, expires: now + RATES_CACHE_TTL_MS };
  return rates;
}

/**
 * `amountMinor` of `currency` in whole US cents, exactly (rounded half-up); null when the
 * platform does not know the currency or no rate is set for it.
 */
export async function usdCents(env: Env, amountMinor: number, currency: string, now = Date.now()): Promise<number | null> {
  const found = findCurrency(currency);
  if (!found) return null;
  if (found.code === "USD") return amountMinor;
  const rate = (await rateTable(env, now)).get(found.code);
  return rate === undefined ? null : toUsdCents(amountMinor, found.exponent, rate);
}
