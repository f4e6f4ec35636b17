import { createRoute, z } from "@hono/zod-openapi";
import { bearerSecurity, errorResponses, idempotencyHeaders, jsonBody, jsonContent } from "../../openapi/route-helpers";
import { isoTime } from "../../openapi/schemas";

const tags = ["Merchant"];

const enabled = z.boolean().openapi({
  description:
    "Whether customers get a receipt by email when a payment or refund with a customer_email succeeds (both modes; a " +
    "test payment's subject starts with [TEST]). In the payment's language: Chinese for zh*, English otherwise.",
});
const businessName = z.string().trim().min(1).max(100).nullable().openapi({
  example: "Acme Books",
  description: "The name receipts are sent in (the From name and the text); null: the merchant's name.",
});
const supportEmail = z.email().max(320).nullable().openapi({
  example: "support@acme.example",
  description: "Where customers reply (Reply-To), and the address the receipt names. Required to enable receipts.",
});

export const ReceiptSettingsSchema = z
  .object({
    object: z.literal("receipt_settings"),
    enabled,
    business_name: businessName,
    support_email: supportEmail,
    updated_at: isoTime.nullable().openapi({ description: "When you last changed them; null if you never did (receipts off)." }),
  })
  .openapi("ReceiptSettings");

export const ReceiptSettingsRequest = z
  .strictObject({ enabled, business_name: businessName.default(null), support_email: supportEmail.default(null) })
  .superRefine((body, ctx) => {
    if (body.enabled && body.support_email === null) {
      ctx.addIssue({ code: "custom", path: ["support_email"], message: "required to enable receipts", params: { code: "parameter_missing" } });
    }
  })
  .openapi("ReceiptSettingsRequest");

export const getReceiptSettings = createRoute({
  method: "get",
  path: "/api/v1/merchant/receipts",
  tags,
  summary: "Whether your customers get receipts by email, in whose name, and where they reply",
  security: bearerSecurity,
  responses: { 200: jsonContent(ReceiptSettingsSchema, "The settings in force: receipts off until you enable them."), 401: errorResponses[401] },
});

export const putReceiptSettings = createRoute({
  method: "put",
  path: "/api/v1/merchant/receipts",
  tags,
  summary: "Enable or disable customer receipts (owners), with the business name and support address",
  description:
    "Replaces the settings. Each receipt is sent once per event and customer, from the notifications queue; " +
    "whether to send is decided when it is sent, so a change applies to receipts not yet sent.",
  security: bearerSecurity,
  request: { headers: idempotencyHeaders, ...jsonBody(ReceiptSettingsRequest) },
  responses: { 200: jsonContent(ReceiptSettingsSchema, "The settings now in force."), 400: errorResponses[400], 401: errorResponses[401] },
});
