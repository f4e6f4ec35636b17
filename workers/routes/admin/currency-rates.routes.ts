// The operator's table of currency rates, for the risk rules' :amount_in_usd:.
import { createRoute, z } from "@hono/zod-openapi";
import { CURRENCY_CODES, findCurrency } from "../../../shared/money/currencies";
import { RateSchema } from "../../../shared/risk/rates";
import { errorResponses, jsonBody, jsonContent } from "../../openapi/route-helpers";
import { isoTime } from "../../openapi/schemas";
import { adminSecurity } from "./admin.routes";

const tags = ["Admin"];

const CurrencyRatesSchema = z
  .object({
    object: z.literal("currency_rates"),
    data: z.array(
      z.object({
        currency: z.string().openapi({ example: "EUR" }),
        usd_rate: z.string().openapi({ example: "1.08", description: "US dollars per major unit." }),
        updated_at: isoTime,
      }),
    ),
  })
  .openapi("CurrencyRates", { description: "Every rate set, by currency. USD is 1 and not listed." });

/** Upper-case codes the platform accepts, but USD: its rate is 1 by definition. */
function checkCurrencies(rates: Record<string, string>, ctx: z.RefinementCtx): void {
  for (const code of Object.keys(rates)) {
    const path = [code];
    const known = findCurrency(code)?.code;
    if (known === "USD") ctx.addIssue({ code: "custom", path, message: "USD is always 1 and cannot be set" });
    else if (known && known !== code) ctx.addIssue({ code: "custom", path, message: `write the code in upper case (${known})` });
    else if (!known) {
      ctx.addIssue({
        code: "custom",
        path,
        message: `unsupported currency '${code}'. Supported: ${CURRENCY_CODES.join(", ")}`,
        params: { code: "currency_unsupported" },
      });
    }
  }
}

export const PutRatesBody = z
  .strictObject({
    rates: z
      .record(z.string(), RateSchema)
      .superRefine(checkCurrencies)
      .refine((rates) => Object.keys(rates).length > 0, "must name at least one currency")
      .openapi({ example: { EUR: "1.08", JPY: "0.0067", BHD: "2.65" } }),
  })
  .openapi("CurrencyRatesRequest");

export const putRates = createRoute({
  method: "put",
  path: "/api/v1/admin/currency-rates",
  tags,
  summary: "Set the US dollar rate of currencies (others keep theirs)",
  description:
    "Each rate is US dollars per major unit of the currency, a positive decimal string of at most 12 significant " +
    "digits. USD is 1 and cannot be set. A currency with no rate has no :amount_in_usd:, and rules comparing it match " +
    "nothing. Payments in this isolate use new rates at once, in the Worker's other isolates within 30 seconds.",
  security: adminSecurity,
  request: jsonBody(PutRatesBody),
  responses: {
    200: jsonContent(CurrencyRatesSchema, "The whole table, as it now is."),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

export const getRates = createRoute({
  method: "get",
  path: "/api/v1/admin/currency-rates",
  tags,
  summary: "The US dollar rate of each currency that has one",
  security: adminSecurity,
  responses: {
    200: jsonContent(CurrencyRatesSchema, "The whole table."),
    401: errorResponses[401],
  },
});
