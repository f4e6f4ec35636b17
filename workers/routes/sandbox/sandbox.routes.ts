import { createRoute, z } from "@hono/zod-openapi";
import { bearerSecurity, errorResponses, jsonContent, noParameters } from "../../openapi/route-helpers";
import { ErrorSchema } from "../../openapi/schemas";
import { PaymentSchema } from "../payments/payments.schemas";

export const confirmSandboxPayment = createRoute({
  method: "post",
  path: "/api/v1/sandbox/payments/{paymentNo}/confirm",
  tags: ["Sandbox"],
  summary: "Act as the customer: complete a sandbox payment that waits in requires_action or processing",
  description:
    "The sandbox then reports the outcome by signed webhook, as a real channel would; the payment " +
    "moves when that webhook has been applied (read it again to see).",
  security: bearerSecurity,
  request: { params: z.object({ paymentNo: z.string() }), ...noParameters },
  responses: {
    200: jsonContent(PaymentSchema, "The payment, as it stands when the sandbox accepted the confirmation."),
    400: errorResponses[400],
    401: errorResponses[401],
    404: errorResponses[404],
    409: jsonContent(ErrorSchema, "payment_unexpected_state: nothing to confirm."),
  },
});
