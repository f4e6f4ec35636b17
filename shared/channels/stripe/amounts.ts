// Platform minor units <-> Stripe's `amount`, the one place this conversion happens.
// Stripe's units mostly match ISO 4217, with its documented exceptions:
// - zero-decimal currencies are sent as whole units;
// - ISK is zero-decimal but must be sent as a two-decimal value ending in 00;
// - three-decimal currencies (BHD, JOD, KWD, OMR, TND) are sent in thousandths whose last digit
//   must be 0, so an amount that is not a multiple of 10 cannot be charged through Stripe.
import { findCurrency } from "../../money/currencies";
import { ChannelError } from "../adapter";

const ZERO_DECIMAL = new Set([
  "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
]);
const THREE_DECIMAL = new Set(["BHD", "JOD", "KWD", "OMR", "TND"]);
const SENT_AS_TWO_DECIMAL = new Set(["ISK"]);

/** The exponent Stripe's `amount` uses for a currency. */
export function stripeExponent(currency: string): number {
  if (SENT_AS_TWO_DECIMAL.has(currency)) return 2;
  if (ZERO_DECIMAL.has(currency)) return 0;
  if (THREE_DECIMAL.has(currency)) return 3;
  return 2;
}

function platformExponent(currency: string): number {
  const found = findCurrency(currency);
  if (!found) throw new ChannelError("currency_unsupported", `Unsupported currency ${currency}.`, 400);
  return found.exponent;
}

export function toStripeAmount(amount: number, currency: string): number {
  if (THREE_DECIMAL.has(currency) && amount % 10 !== 0) {
    throw new ChannelError(
      "amount_precision_unsupported",
      `Stripe charges ${currency} only in multiples of 10 minor units (0.010); ${amount} is not one.`,
      400,
    );
  }
  return amount * 10 ** (stripeExponent(currency) - platformExponent(currency));
}

export function fromStripeAmount(amount: number, currency: string): number {
  return amount / 10 ** (stripeExponent(currency) - platformExponent(currency));
}
