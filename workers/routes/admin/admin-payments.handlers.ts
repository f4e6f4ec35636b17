import { invalidRequest } from "../../../shared/errors";
import { listPaymentsOfAllMerchants } from "../../../shared/payments/payment-queries";
import type { AppRouteHandler } from "../../openapi/router";
import { listRequest, paymentList } from "../payments/payments.handlers";
import type * as routes from "./admin-payments.routes";

export const listPayments: AppRouteHandler<typeof routes.listPayments> = async (c) => {
  const q = c.req.valid("query");
  if (q.order_no !== undefined && q.merchant_id === undefined) {
    // over every merchant no index serves it, and merchants' own numbers would mix
    throw invalidRequest("parameter_missing", "Missing required parameter: merchant_id (order_no is searched within one merchant).", "merchant_id");
  }
  const { filters, page } = listRequest(q);
  const found = await listPaymentsOfAllMerchants(c.env.DB, { merchantId: q.merchant_id, livemode: q.livemode, ...filters }, page);
  return c.json(paymentList(found), 200);
};
