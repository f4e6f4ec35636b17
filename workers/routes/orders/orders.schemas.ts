import { z } from "@hono/zod-openapi";
import { CHANNELS } from "../../../shared/channels/registry";
import { currencySchema } from "../../../shared/money/amount";
import { MAX_ITEMS, MAX_QUANTITY } from "../../../shared/orders/order";
import { ORDER_STATUSES } from "../../../shared/orders/state-machine";
import { isoTime } from "../../openapi/schemas";
import { customerCountry, customerIp, httpUrl, languageSchema, metadataSchema } from "../payments/payments.schemas";

const ItemBody = z.strictObject({
  product_id: z.string().min(1).max(100).openapi({ example: "prod_1" }),
  product_name: z.string().min(1).max(300).openapi({ example: "商品A" }),
  unit_price: z.number().int("must be an integer number of minor units").min(0, "must not be negative").max(Number.MAX_SAFE_INTEGER).openapi({ example: 10000 }),
  quantity: z.number().int("must be a whole number").positive("must be at least 1").max(MAX_QUANTITY).openapi({ example: 1 }),
});

const ShippingBody = z
  .strictObject({
    name: z.string().max(200).optional(),
    line1: z.string().min(1).max(300),
    line2: z.string().max(300).optional(),
    city: z.string().min(1).max(100),
    state: z.string().max(100).optional(),
    postal_code: z.string().max(20).optional(),
    country: z.string().regex(/^[A-Z]{2}$/, "an ISO 3166-1 alpha-2 code"),
    phone: z.string().max(40).optional(),
  })
  .openapi("ShippingAddress");

export const CreateOrderBody = z
  .strictObject({
    merchant_id: z.string().optional().openapi({ description: "If given, must be the API key's merchant." }),
    customer_email: z.email().max(320).openapi({ example: "test@example.com" }),
    customer_name: z.string().max(200).optional().openapi({ example: "John Doe" }),
    currency: currencySchema,
    items: z.array(ItemBody).min(1, "an order has at least one item").max(MAX_ITEMS),
    shipping: ShippingBody.optional(),
    metadata: metadataSchema.optional(),
    merchant_reference: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_.:#/-]+$/, "letters, digits and _ . : # / - only")
      .optional()
      .openapi({ example: "ORD20240115001", description: "The merchant's own order number: one order per reference." }),
  })
  .openapi("CreateOrderRequest");

export const PayOrderBody = z
  .strictObject({
    channel: z.enum(CHANNELS).optional().openapi({ description: "Default: the active routing configuration's choice, else sandbox in test mode." }),
    payment_method: z.string().min(1).max(100).optional().openapi({ example: "pm_sandbox_success" }),
    customer_country: customerCountry,
    customer_ip: customerIp,
    notify_url: httpUrl.optional(),
    return_url: httpUrl.optional(),
    language: languageSchema.optional(),
  })
  .openapi("PayOrderRequest");

export const RefundOrderBody = z
  .strictObject({
    amount: z.number().int("must be an integer number of minor units").positive("must be greater than zero").max(Number.MAX_SAFE_INTEGER).optional().openapi({ description: "Default: all that is left to refund." }),
    reason: z.string().min(1).max(500).openapi({ example: "requested_by_customer" }),
  })
  .openapi("RefundOrderRequest");

export const ShipOrderBody = z
  .strictObject({
    carrier: z.string().min(1).max(100).openapi({ example: "UPS" }),
    tracking_no: z.string().min(1).max(100).openapi({ example: "1Z999AA10123456784" }),
  })
  .openapi("ShipOrderRequest");

export const OrderSchema = z
  .object({
    object: z.literal("order"),
    order_no: z.string().openapi({ example: "OR8W3K0QJ5ZP2M7R9T1V4X6Y8A" }),
    merchant_id: z.string(),
    merchant_reference: z.string().nullable(),
    status: z.enum(ORDER_STATUSES),
    currency: z.string(),
    items: z.array(
      z.object({
        product_id: z.string(),
        product_name: z.string(),
        unit_price: z.number().int(),
        quantity: z.number().int(),
        line_total: z.number().int(),
      }),
    ),
    total_amount: z.number().int(),
    paid_amount: z.number().int(),
    refunded_amount: z.number().int(),
    payment_no: z.string().nullable(),
    customer_email: z.string(),
    customer_name: z.string().nullable(),
    shipping: z.record(z.string(), z.string()).nullable(),
    carrier: z.string().nullable(),
    tracking_no: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    livemode: z.boolean(),
    paid_at: isoTime.nullable(),
    shipped_at: isoTime.nullable(),
    completed_at: isoTime.nullable(),
    cancelled_at: isoTime.nullable(),
    created_at: isoTime,
    updated_at: isoTime,
  })
  .openapi("Order");
