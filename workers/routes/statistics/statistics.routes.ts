import { createRoute, z } from "@hono/zod-openapi";
import { CHANNELS } from "../../../shared/channels/registry";
import { currencySchema } from "../../../shared/money/amount";
import { ORDER_STATUSES } from "../../../shared/orders/state-machine";
import { TOP_FAILURE_CODES } from "../../../shared/payments/statistics";
import { listOf, listQuery } from "../../openapi/list";
import { bearerSecurity, errorResponses, jsonContent } from "../../openapi/route-helpers";
import { isoTime } from "../../openapi/schemas";

const tags = ["Statistics"];

/** A currency filter: any case, as everywhere in the API; the figures show it in upper case. */
const currencyFilter = (records: string) =>
  currencySchema
    .optional()
    .openapi({ example: "USD", description: `Only ${records} in this currency (ISO 4217, case-insensitive).` });

/** A calendar day in UTC, as YYYY-MM-DD. */
const utcDayParam = (description: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a day as YYYY-MM-DD")
    .refine((day) => {
      const ms = Date.parse(`${day}T00:00:00.000Z`);
      return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(day);
    }, "is not a calendar day")
    .optional()
    .openapi({ example: "2026-01-15", description });

/** A range of UTC days, as the daily summaries take it. */
const dayRangeQuery = {
  from: utcDayParam("First day, inclusive. Default: 29 days before `to`."),
  to: utcDayParam("Last day, inclusive; at most 365 days after `from`. Default: today (UTC)."),
};

const StatusTotalsSchema = z
  .object({
    status: z.enum(ORDER_STATUSES).openapi({ example: "paid" }),
    currency: z.string().openapi({ example: "USD" }),
    count: z.number().int(),
    total_amount: z.number().int().openapi({ description: "Sum of the orders' total_amount." }),
  })
  .openapi("OrderStatusTotals");

const CurrencyTotalsSchema = z
  .object({
    currency: z.string().openapi({ example: "USD" }),
    count: z.number().int(),
    total_amount: z.number().int(),
    paid_amount: z.number().int(),
    refunded_amount: z.number().int(),
    net_amount: z.number().int().openapi({ description: "paid_amount − refunded_amount." }),
  })
  .openapi("OrderCurrencyTotals");

export const OrderStatisticsSchema = z
  .object({
    object: z.literal("order_statistics"),
    created_gte: isoTime.nullable(),
    created_lte: isoTime.nullable(),
    by_status: z.array(StatusTotalsSchema).openapi({ description: "Sorted by currency, then status." }),
    by_currency: z.array(CurrencyTotalsSchema).openapi({ description: "Sorted by currency." }),
  })
  .openapi("OrderStatistics");

export const DailySummarySchema = z
  .object({
    day: z.string().openapi({ example: "2026-01-15", description: "The UTC day the orders were created." }),
    currency: z.string().openapi({ example: "USD" }),
    orders: z.number().int().openapi({ description: "Orders created that day." }),
    paid_count: z.number().int().openapi({ description: "Of those, the ones that were paid (paid_at set)." }),
    gross_amount: z.number().int().openapi({ description: "Sum of their paid_amount." }),
    refunded_amount: z.number().int().openapi({ description: "Sum of their refunded_amount." }),
    net_amount: z.number().int().openapi({ description: "gross_amount − refunded_amount." }),
  })
  .openapi("DailySummary");

export const orderStatistics = createRoute({
  method: "get",
  path: "/api/v1/statistics/orders",
  tags,
  summary: "Order counts and amounts by status and by currency (live, from the D1 projection)",
  security: bearerSecurity,
  request: {
    query: z.strictObject({
      created_gte: listQuery.created_gte,
      created_lte: listQuery.created_lte,
      currency: currencyFilter("orders"),
    }),
  },
  responses: {
    200: jsonContent(OrderStatisticsSchema, "Totals of the orders created in the range."),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

export const dailySummary = createRoute({
  method: "get",
  path: "/api/v1/statistics/daily-summary",
  tags,
  summary: "Orders and amounts per UTC day of creation and currency",
  description:
    "One row per day and currency that has orders, days ascending. Finished days come from the " +
    "rollup the cron trigger keeps (refreshed every few minutes when their orders change); the " +
    "days it has not rolled yet, today included, are computed from the orders.",
  security: bearerSecurity,
  request: {
    query: z.strictObject({
      ...dayRangeQuery,
      currency: currencyFilter("orders"),
    }),
  },
  responses: {
    200: jsonContent(listOf(DailySummarySchema, "DailySummaryList"), "The days, oldest first."),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

const PaymentDaySchema = z
  .object({
    day: z.string().openapi({ example: "2026-01-15", description: "The UTC day the payments were created." }),
    channel: z.string().openapi({ example: "stripe" }),
    currency: z.string().openapi({ example: "USD" }),
    count: z.number().int().openapi({ description: "Payments created that day, whatever their status." }),
    succeeded_count: z.number().int().openapi({ description: "Of those, the ones that succeeded (refunded since or not)." }),
    failed_count: z.number().int().openapi({ description: "Of those, the ones that failed." }),
    success_rate: z
      .number()
      .nullable()
      .openapi({
        example: 0.9412,
        description: "succeeded_count / (succeeded_count + failed_count), to 4 places; null when neither.",
      }),
    succeeded_amount: z.number().int().openapi({ description: "Sum of the amounts of the payments that succeeded." }),
  })
  .openapi("PaymentDay");

export const PaymentStatisticsSchema = z
  .object({
    object: z.literal("payment_statistics"),
    from: z.string().openapi({ example: "2026-01-01" }),
    to: z.string().openapi({ example: "2026-01-30" }),
    days: z.array(PaymentDaySchema).openapi({ description: "Days ascending, then channel and currency." }),
    top_failure_codes: z
      .array(z.object({ code: z.string().openapi({ example: "card_declined" }), count: z.number().int() }))
      .openapi({
        description: `The ${TOP_FAILURE_CODES} most frequent failure codes of the range's failed payments, most frequent first.`,
      }),
  })
  .openapi("PaymentStatistics");

export const paymentStatistics = createRoute({
  method: "get",
  path: "/api/v1/statistics/payments",
  tags,
  summary: "Payments made, succeeded and failed per UTC day of creation, channel and currency",
  description:
    "For a dashboard's overview. Finished days come from the rollup the cron trigger keeps " +
    "(refreshed every few minutes when their payments change); the days it has not rolled yet, " +
    "today included, are computed from the payments.",
  security: bearerSecurity,
  request: {
    query: z.strictObject({
      ...dayRangeQuery,
      channel: z.enum(CHANNELS).optional().openapi({ description: "Only payments made on this channel." }),
      currency: currencyFilter("payments"),
    }),
  },
  responses: {
    200: jsonContent(PaymentStatisticsSchema, "The days, oldest first, and the range's top failure codes."),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

const CurrencyOverviewSchema = z
  .object({
    currency: z.string().openapi({ example: "USD" }),
    payment_count: z.number().int().openapi({ description: "Payments created in the range, whatever their status." }),
    succeeded_count: z.number().int().openapi({ description: "Of those, the ones that succeeded (refunded since or not)." }),
    failed_count: z.number().int().openapi({ description: "Of those, the ones that failed." }),
    success_rate: z.number().nullable().openapi({
      example: 0.9412,
      description: "succeeded_count / (succeeded_count + failed_count), to 4 places; null when neither.",
    }),
    succeeded_amount: z.number().int().openapi({ description: "Sum of the succeeded payments' amounts, before refunds." }),
    refund_count: z.number().int().openapi({ description: "Refunds created in the range that have succeeded." }),
    refunded_amount: z.number().int().openapi({ description: "Sum of their amounts." }),
    dispute_count: z.number().int().openapi({ description: "Payments the channel reported disputed in the range." }),
    disputed_amount: z.number().int().openapi({ description: "Sum of those payments' amounts." }),
  })
  .openapi("CurrencyOverview");

export const StatisticsOverviewSchema = z
  .object({
    object: z.literal("statistics_overview"),
    from: z.string().openapi({ example: "2026-01-01" }),
    to: z.string().openapi({ example: "2026-01-30" }),
    currencies: z.array(CurrencyOverviewSchema).openapi({ description: "One per currency with any figure in the range, by currency." }),
  })
  .openapi("StatisticsOverview");

export const statisticsOverview = createRoute({
  method: "get",
  path: "/api/v1/statistics/overview",
  tags,
  summary: "Payments, refunds and disputes of a range of UTC days, per currency",
  description:
    "For a dashboard's overview. The payments are counted as statistics/payments counts them (by creation day, " +
    "finished days from the cron's rollup); refunds by the day they were created, once they succeeded; disputes " +
    "by the day the channel reported them.",
  security: bearerSecurity,
  request: { query: z.strictObject(dayRangeQuery) },
  responses: {
    200: jsonContent(StatisticsOverviewSchema, "The range's figures per currency."),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});
