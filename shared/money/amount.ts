// Validation of money in requests: the currency must be supported, the amount a positive
// integer in minor units no larger than the currency's ceiling.
import { z } from "@hono/zod-openapi";
import { CURRENCY_CODES, findCurrency } from "./currencies";

export const currencySchema = z
  .string()
  .transform((code, ctx) => {
    const currency = findCurrency(code);
    if (!currency) {
      ctx.addIssue({
        code: "custom",
        message: `Unsupported currency '${code}'. Supported: ${CURRENCY_CODES.join(", ")}.`,
        params: { code: "currency_unsupported" },
      });
      return z.NEVER;
    }
    return currency.code;
  })
  .openapi({ type: "string", example: "USD", description: "ISO 4217 code (case-insensitive)." });

export const minorUnitsSchema = z
  .number()
  .int("must be an integer number of minor units")
  .positive("must be greater than zero")
  .max(Number.MAX_SAFE_INTEGER)
  .openapi({ example: 10000, description: "Integer amount in the currency's minor units." });

/** Refinement for an object holding `amount` and `currency`: checks the per-currency ceiling. */
export function checkAmountCeiling(
  value: { amount?: number; currency?: string },
  ctx: z.RefinementCtx,
): void {
  if (value.amount === undefined || value.currency === undefined) return;
  const currency = findCurrency(value.currency);
  if (currency && value.amount > currency.maxAmount) {
    ctx.addIssue({
      code: "custom",
      path: ["amount"],
      message: `must be at most ${currency.maxAmount} minor units for ${currency.code}`,
      params: { code: "amount_too_large" },
    });
  }
}
