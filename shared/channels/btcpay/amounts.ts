// Platform minor units <-> BTCPay's decimal strings, the one place this conversion happens. A
// BTCPay invoice is priced in the payment's own (fiat) currency at its ISO exponent, which is the
// platform's too, so nothing is ever rounded on the way out. What the buyer paid comes back in
// BTC with the rate BTCPay used; its fiat worth is worked out on digits (BigInt), never floats.
import { findCurrency } from "../../money/currencies";
import { ChannelError } from "../adapter";

function exponentOf(currency: string): number {
  const found = findCurrency(currency);
  if (!found) throw new ChannelError("currency_unsupported", `The platform does not take payments in ${currency}.`, 400);
  return found.exponent;
}

/** `amount` minor units as BTCPay's decimal string: 1999 USD -> "19.99", 1500 JPY -> "1500", 1234 BHD -> "1.234". */
export function toBTCPayAmount(amount: number, currency: string): string {
  const exponent = exponentOf(currency);
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new ChannelError("amount_invalid", `${amount} is not a whole, non-negative number of minor units.`, 400);
  }
  // at least one digit before the decimal point: 5 USD -> "005" -> "0.05"
  const digits = String(amount).padStart(exponent + 1, "0");
  return exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** A non-negative decimal string as digits and a scale: "19.990" -> 19990n / 10^3. */
function decimalOf(value: string, what: string): { digits: bigint; scale: number } {
  const match = DECIMAL.exec(value);
  if (!match) throw new ChannelError("btcpay_amount_invalid", `BTCPay's ${what} "${value}" is not a decimal number.`, 502);
  const fraction = match[2] ?? "";
  return { digits: BigInt(match[1]! + fraction), scale: fraction.length };
}

/**
 * BTCPay's decimal string in the platform's minor units: "19.99" USD -> 1999. Exact for any
 * value the platform can hold (trailing zeros past the exponent are fine); anything finer throws.
 */
export function fromBTCPayAmount(value: string, currency: string): number {
  const exponent = exponentOf(currency);
  const { digits, scale } = decimalOf(value, "amount");
  const extra = 10n ** BigInt(Math.abs(scale - exponent));
  const exact = scale <= exponent || digits % extra === 0n;
  const minor = scale <= exponent ? digits * extra : digits / extra;
  if (!exact || minor > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ChannelError("btcpay_amount_invalid", `BTCPay's amount "${value}" is not a whole number of ${currency} minor units.`, 502);
  }
  return Number(minor);
}

/**
 * What `cryptoAmount` (BTC, "0.00039980") is worth at `rate` (the currency per BTC, "50000.00"),
 * in the currency's minor units, rounded half up: 0.0003998 × 50000 USD -> 1999.
 */
export function fiatValueOf(cryptoAmount: string, rate: string, currency: string): number {
  const exponent = exponentOf(currency);
  const paid = decimalOf(cryptoAmount, "crypto amount");
  const price = decimalOf(rate, "rate");
  const numerator = paid.digits * price.digits * 10n ** BigInt(exponent);
  const denominator = 10n ** BigInt(paid.scale + price.scale);
  const minor = Number((2n * numerator + denominator) / (2n * denominator));
  if (!Number.isSafeInteger(minor)) {
    throw new ChannelError("btcpay_amount_invalid", `BTCPay's ${cryptoAmount} at ${rate} is more ${currency} than the platform can hold.`, 502);
  }
  return minor;
}
