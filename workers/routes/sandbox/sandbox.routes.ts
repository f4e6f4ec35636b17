import { createRoute, z } from "@hono/zod-openapi";
import { bearerSecurity, errorResponses, idempotencyHeaders, jsonBody, jsonContent, noParameters } from "../../openapi/route-helpers";
import { ErrorSchema } from "../../openapi/schemas";
import { PaymentSchema } from "../payments/payments.schemas";
import { SandboxConditionsSchema, SetConditionsBody } from "./sandbox.schemas";

const testModeOnly = jsonContent(ErrorSchema, "test_mode_only: a live key (the sandbox serves test mode only).");

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

export const getSandboxConditions = createRoute({
  method: "get",
  path: "/api/v1/sandbox/conditions",
  tags: ["Sandbox"],
  summary: "The condition the sandbox meets your new payments with (test keys only)",
  security: bearerSecurity,
  responses: {
    200: jsonContent(SandboxConditionsSchema, "The condition in force: mode up, share 0 if none was ever set."),
    401: errorResponses[401],
    403: testModeOnly,
  },
});

export const setSandboxConditions = createRoute({
  method: "post",
  path: "/api/v1/sandbox/conditions",
  tags: ["Sandbox"],
  summary: "Make the sandbox fail a share of your new payments on purpose, to watch failover (test keys only)",
  description:
    "Applies to new payments only: a create the sandbox already has (the same attempt sent again) answers what it " +
    "stored. In force for every create once this answers.",
  security: bearerSecurity,
  request: { headers: idempotencyHeaders, ...jsonBody(SetConditionsBody) },
  responses: {
    200: jsonContent(SandboxConditionsSchema, "The condition now in force."),
    400: errorResponses[400],
    401: errorResponses[401],
    403: testModeOnly,
  },
});
