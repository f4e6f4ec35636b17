// Platform minor units <-> PayPal's `value`, the one place this conversion happens. PayPal takes a
// decimal string with as many decimals as it allows for the currency: two for most, none for
// HUF, JPY and TWD. The platform keeps HUF and TWD with their ISO exponent (2), so an amount in
// them that is not a whole unit cannot be charged through PayPal. The conversion works on digit
// strings, never on floats.
import { findCurrency } from "../../money/currencies";
import { ChannelError } from "../adapter";

/** The currencies PayPal takes payments in (developer.paypal.com, "Currency codes"). */
export const PAYPAL_CURRENCIES: readonly string[] = [
  "AUD", "BRL", "CAD", "CNY", "CZK", "DKK", "EUR", "HKD", "HUF", "ILS", "JPY", "MYR",
  "MXN", "TWD", "NZD", "NOK", "PHP", "PLN", "GBP", "SGD", "SEK", "CHF", "THB", "USD",
];

/** "Decimal amounts cause an error" at PayPal for these. */
const NO_DECIMALS = new Set(["HUF", "JPY", "TWD"]);

/** How many decimals PayPal's `value` takes for a currency. */
export const paypalExponent = (currency: string): number => (NO_DECIMALS.has(currency) ? 0 : 2);

function exponents(currency: string): { platform: number; paypal: number } {
  const found = findCurrency(currency);
  if (!found || !PAYPAL_CURRENCIES.includes(found.code)) {
    throw new ChannelError("currency_unsupported", `PayPal does not take payments in ${currency}.`, 400);
  }
  return { platform: found.exponent, paypal: paypalExponent(found.code) };
}

/** `amount` minor units as PayPal's decimal string: 1999 USD -> "19.99", 100 JPY -> "100". */
export function toPayPalValue(amount: number, currency: string): string {
  const { platform, paypal } = exponents(currency);
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new ChannelError("amount_invalid", `${amount} is not a whole, non-negative number of minor units.`, 400);
  }
  // at least one digit before the platform's decimal point: 5 USD -> "005"
  const digits = String(amount).padStart(platform + 1, "0");
  const dropped = platform - paypal;
  if (!digits.endsWith("0".repeat(dropped))) {
    throw new ChannelError(
      "amount_precision_unsupported",
      `PayPal charges ${currency} only in whole units; ${amount} minor units is not a multiple of ${10 ** dropped}.`,
      400,
    );
  }
  const kept = digits.slice(0, digits.length - dropped);
  return paypal === 0 ? kept : `${kept.slice(0, -paypal)}.${kept.slice(-paypal)}`;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * PayPal's `value` in the platform's minor units: "19.99" USD -> 1999, "15" HUF -> 1500. Reading
 * is exact for any value the platform can hold (trailing zeros past it are fine); anything else
 * throws, so an amount is never rounded on its way in.
 */
export function fromPayPalValue(value: string, currency: string): number {
  const { platform } = exponents(currency);
  const match = DECIMAL.exec(value);
  const fraction = (match?.[2] ?? "").replace(/0+$/, "");
  const minor = match && fraction.length <= platform ? Number(match[1]! + fraction.padEnd(platform, "0")) : NaN;
  if (!Number.isSafeInteger(minor)) {
    throw new ChannelError("paypal_amount_invalid", `PayPal's amount "${value}" is not a whole number of ${currency} minor units.`, 502);
  }
  return minor;
}
