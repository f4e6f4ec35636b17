// The currencies the platform accepts, with ISO 4217 exponents and a per-currency ceiling.
// Amounts everywhere are integer minor units: 1000 USD = $10.00, 1000 JPY = ¥1000, 1000 BHD = 1.000 BD.
// The ceiling is in minor units and is set near one million US dollars' worth, so low-value
// currencies (IDR, VND, KRW) get ceilings that would look absurd in USD.

export interface Currency {
  code: string;
  exponent: 0 | 2 | 3;
  maxAmount: number;
}

const DEFAULT_MAX = 99_999_999; // 999,999.99 in a two-decimal currency

const table: Array<[code: string, exponent: 0 | 2 | 3, maxAmount?: number]> = [
  // two-decimal
  ["USD", 2], ["EUR", 2], ["GBP", 2], ["CNY", 2], ["HKD", 2], ["SGD", 2], ["AUD", 2],
  ["CAD", 2], ["CHF", 2], ["NZD", 2], ["SEK", 2], ["NOK", 2], ["DKK", 2], ["PLN", 2],
  ["CZK", 2, 9_999_999_999], ["HUF", 2, 99_999_999_999], ["INR", 2, 9_999_999_999],
  ["IDR", 2, 999_999_999_999], ["MYR", 2], ["PHP", 2, 9_999_999_999], ["THB", 2, 9_999_999_999],
  ["TWD", 2, 9_999_999_999], ["BRL", 2], ["MXN", 2, 9_999_999_999], ["ZAR", 2, 9_999_999_999],
  ["AED", 2], ["SAR", 2], ["ILS", 2], ["TRY", 2, 9_999_999_999], ["EGP", 2, 9_999_999_999],
  // zero-decimal
  ["JPY", 0, 999_999_999], ["KRW", 0, 9_999_999_999], ["VND", 0, 99_999_999_999],
  ["CLP", 0, 9_999_999_999], ["ISK", 0, 999_999_999], ["UGX", 0, 99_999_999_999],
  ["PYG", 0, 99_999_999_999], ["XAF", 0, 999_999_999], ["XOF", 0, 999_999_999],
  // three-decimal
  ["BHD", 3, 999_999_999], ["KWD", 3, 999_999_999], ["JOD", 3, 999_999_999],
  ["OMR", 3, 999_999_999], ["TND", 3, 9_999_999_999],
];

export const CURRENCIES: ReadonlyMap<string, Currency> = new Map(
  table.map(([code, exponent, maxAmount = DEFAULT_MAX]) => [code, { code, exponent, maxAmount }]),
);

export const CURRENCY_CODES = [...CURRENCIES.keys()] as [string, ...string[]];

export function findCurrency(code: string): Currency | undefined {
  return CURRENCIES.get(code.toUpperCase());
}
