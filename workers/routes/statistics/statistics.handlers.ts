import { invalidRequest } from "../../../shared/errors";
import { dailyTotals, orderTotals } from "../../../shared/orders/statistics";
import { overview } from "../../../shared/payments/overview";
import { dailyPaymentTotals, successRate } from "../../../shared/payments/statistics";
import { addDays, DAY_MS, dayStart, utcDay } from "../../../shared/time";
import { createdRange, rangeInverted } from "../../openapi/list";
import type { AppRouteHandler } from "../../openapi/router";
import { toIsoOrNull } from "../../openapi/schemas";
import type * as routes from "./statistics.routes";

/** The longest daily summary, in days (a leap year). */
export const MAX_SUMMARY_DAYS = 366;
/** The default daily summary: the last 30 days, today included. */
const DEFAULT_SUMMARY_DAYS = 30;

export const orderStatistics: AppRouteHandler<typeof routes.orderStatistics> = async (c) => {
  const q = c.req.valid("query");
  const { merchant, livemode } = c.get("auth");
  const { createdGte, createdLte } = createdRange(q);
  const totals = await orderTotals(
    c.env.DB,
    { merchantId: merchant.id, livemode, currency: q.currency },
    { gte: createdGte, lte: createdLte },
  );
  return c.json(
    {
      object: "order_statistics" as const,
      created_gte: toIsoOrNull(createdGte ?? null),
      created_lte: toIsoOrNull(createdLte ?? null),
      by_status: totals.byStatus.map((s) => ({
        status: s.status,
        currency: s.currency,
        count: s.count,
        total_amount: s.totalAmount,
      })),
      by_currency: totals.byCurrency.map((t) => ({
        currency: t.currency,
        count: t.count,
        total_amount: t.totalAmount,
        paid_amount: t.paidAmount,
        refunded_amount: t.refundedAmount,
        net_amount: t.netAmount,
      })),
    },
    200,
  );
};

/** from/to with their defaults; a too long range names the parameter the caller gave. */
function summaryDays(q: { from?: string; to?: string }) {
  const to = q.to ?? utcDay(Date.now());
  const from = q.from ?? addDays(to, 1 - DEFAULT_SUMMARY_DAYS);
  if (from > to) throw rangeInverted("from", from, "to", to);
  const days = (dayStart(to) - dayStart(from)) / DAY_MS + 1;
  if (days > MAX_SUMMARY_DAYS) {
    const param = q.to === undefined ? "from" : "to";
    throw invalidRequest(
      "parameter_invalid",
      `Invalid ${param}: from ${from} to ${to} is ${days} days; a summary covers at most ${MAX_SUMMARY_DAYS}.`,
      param,
    );
  }
  return { from, to };
}

export const dailySummary: AppRouteHandler<typeof routes.dailySummary> = async (c) => {
  const q = c.req.valid("query");
  const { merchant, livemode } = c.get("auth");
  const rows = await dailyTotals(c.env.DB, { merchantId: merchant.id, livemode, currency: q.currency }, summaryDays(q));
  return c.json(
    {
      object: "list" as const,
      data: rows.map((r) => ({
        day: r.day,
        currency: r.currency,
        orders: r.orders,
        paid_count: r.paidCount,
        gross_amount: r.grossAmount,
        refunded_amount: r.refundedAmount,
        net_amount: r.netAmount,
      })),
      has_more: false,
    },
    200,
  );
};

export const paymentStatistics: AppRouteHandler<typeof routes.paymentStatistics> = async (c) => {
  const q = c.req.valid("query");
  const { merchant, livemode } = c.get("auth");
  const days = summaryDays(q);
  const stats = await dailyPaymentTotals(
    c.env.DB,
    { merchantId: merchant.id, livemode, channel: q.channel, currency: q.currency },
    days,
  );
  return c.json(
    {
      object: "payment_statistics" as const,
      ...days,
      days: stats.days.map((d) => ({
        day: d.day,
        channel: d.channel,
        currency: d.currency,
        count: d.count,
        succeeded_count: d.succeededCount,
        failed_count: d.failedCount,
        success_rate: successRate(d.succeededCount, d.failedCount),
        succeeded_amount: d.succeededAmount,
      })),
      top_failure_codes: stats.failureCodes,
    },
    200,
  );
};

export const statisticsOverview: AppRouteHandler<typeof routes.statisticsOverview> = async (c) => {
  const { merchant, livemode } = c.get("auth");
  const days = summaryDays(c.req.valid("query"));
  const currencies = await overview(c.env.DB, { merchantId: merchant.id, livemode }, days);
  return c.json(
    {
      object: "statistics_overview" as const,
      ...days,
      currencies: currencies.map((o) => ({
        currency: o.currency,
        payment_count: o.paymentCount,
        succeeded_count: o.succeededCount,
        failed_count: o.failedCount,
        success_rate: successRate(o.succeededCount, o.failedCount),
        succeeded_amount: o.succeededAmount,
        refund_count: o.refundCount,
        refunded_amount: o.refundedAmount,
        dispute_count: o.disputeCount,
        disputed_amount: o.disputedAmount,
      })),
    },
    200,
  );
};
