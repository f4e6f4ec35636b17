import { z } from "@hono/zod-openapi";
import type { refunds } from "../../../shared/db/schema";
import { minorUnitsSchema } from "../../../shared/money/amount";
import { REFUND_STATUSES, type RefundRecord } from "../../../shared/refunds/refund";
import { isoTime } from "../../openapi/schemas";
import { refundJson, refundViewFromRow } from "../../../shared/refunds/refund-json";
import { NextActionSchema, metadataSchema } from "../payments/payments.schemas";

export const CreateRefundBody = z
  .strictObject({
    payment_no: z.string().min(1).openapi({ example: "PY8W3K0QJ5ZP2M7R9T1V4X6Y8A" }),
    amount: minorUnitsSchema.optional().openapi({ description: "Minor units; default: all that is left." }),
    reason: z.string().min(1).max(500).optional().openapi({ example: "requested_by_customer" }),
    metadata: metadataSchema.optional(),
  })
  .openapi("CreateRefundRequest");

export const RefundSchema = z
  .object({
    object: z.literal("refund"),
    refund_no: z.string().openapi({ example: "RF8W3K0QJ5ZP2M7R9T1V4X6Y8A001" }),
    payment_no: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    status: z.enum(REFUND_STATUSES),
    reason: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    channel: z.string(),
    failure: z.object({ code: z.string(), message: z.string() }).nullable(),
    next_action: NextActionSchema.nullable().openapi({
      description: "While pending, what the buyer must do to receive it (crypto: claim it at the link); null otherwise, and in lists.",
    }),
    livemode: z.boolean(),
    created_at: isoTime,
    updated_at: isoTime,
  })
  .openapi("Refund");

type RefundJson = z.infer<typeof RefundSchema>;

export const toRefundJson = (r: RefundRecord): RefundJson => refundJson(r);
export const rowToRefundJson = (r: typeof refunds.$inferSelect): RefundJson => refundJson(refundViewFromRow(r));
