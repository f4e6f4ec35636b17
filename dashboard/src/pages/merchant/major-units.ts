// Amounts a person types, in major units ("12.34"), and the API's integer minor units (1234), by
// the currency's exponent from shared/money. Done on the digits as text: never through a float,
// where 0.29 × 100 is 28.999999999999996.
import { findCurrency } from "../../../../shared/money/currencies";

const exponentOf = (currency: string) => findCurrency(currency)?.exponent ?? 0;

/** 1234 USD → "12.34", 1000 JPY → "1000", 5 BHD → "0.005": digits and a point, as an input takes them. */
export function toMajorUnits(minorUnits: number, currency: string): string {
  const exponent = exponentOf(currency);
  const digits = String(minorUnits).padStart(exponent + 1, "0");
  return exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

export type MinorUnits = { ok: true; value: number } | { ok: false; message: string };

/** "12.34" USD → 1234; a malformed amount, or one with more decimals than the currency has, is said why. */
export function toMinorUnits(text: string, currency: string): MinorUnits {
  const exponent = exponentOf(currency);
  const found = /^(\d+)(?:\.(\d*))?$/.exec(text.trim());
  const example = exponent === 0 ? "1500" : `15.${"0".repeat(exponent)}`;
  if (!found) return { ok: false, message: `Enter the amount in digits, with a point for the decimals (${example}).` };
  const [, whole, fraction = ""] = found;
  if (fraction.length > exponent) {
    return { ok: false, message: exponent === 0 ? `${currency} has no decimals.` : `${currency} has at most ${exponent} decimals.` };
  }
  const value = Number(`${whole}${fraction.padEnd(exponent, "0")}`);
  if (!Number.isSafeInteger(value)) return { ok: false, message: "The amount is too large." };
  return { ok: true, value };
}
