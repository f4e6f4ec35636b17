// Amounts as the API gives them, integer minor units, written as their currency writes them, by the
// platform's own exponents (shared/money), so 1000 JPY is ¥1,000 and 1000 BHD is BHD 1.000.
import { findCurrency } from "../../../shared/money/currencies";

export function formatMoney(minorUnits: number, currency: string): string {
  const found = findCurrency(currency);
  // a currency the platform does not know has no exponent to divide by: show what the API said
  if (!found) return `${minorUnits} ${currency} (minor units)`;
  return new Intl.NumberFormat(undefined, {
    style: "currency",
    currency: found.code,
    minimumFractionDigits: found.exponent,
    maximumFractionDigits: found.exponent,
  }).format(minorUnits / 10 ** found.exponent);
}
