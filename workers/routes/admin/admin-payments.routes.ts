// The operators' payment list: every merchant's payments in a mode, with the merchant's own list's
// filters and paging, and the merchant as one more filter.
import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses } from "../../openapi/route-helpers";
import * as merchantRoutes from "../payments/payments.routes";
import { adminSecurity } from "./admin.routes";
import { livemode } from "./admin-routing.routes";

export const listPayments = createRoute({
  method: "get",
  path: "/api/v1/admin/payments",
  tags: ["Admin"],
  summary: "List every merchant's payments in a mode, newest first (from the D1 projection)",
  description:
    "The merchant's GET /api/v1/payments over all merchants: the same items (each names its merchant_id), filters and " +
    "cursors. order_no needs merchant_id: an order number is unique only within its merchant.",
  security: adminSecurity,
  request: {
    query: merchantRoutes.listPayments.request.query.extend({
      livemode,
      merchant_id: z.string().min(1).optional().openapi({ description: "One merchant's payments.", example: "mch_4Yb1tWq0cZ8mN2rL7sKd" }),
    }),
  },
  responses: {
    200: merchantRoutes.listPayments.responses[200],
    400: errorResponses[400],
    401: errorResponses[401],
  },
});
