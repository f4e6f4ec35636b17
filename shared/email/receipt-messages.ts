// Which drained events become receipts: payment.succeeded and refund.succeeded of a payment with
// a customer email, one queue message each. The merchant's opt-in is checked when the message is
// consumed, so a merchant that turns receipts on or off is obeyed from that moment.
import type { EventRecord } from "../events/event";
import { outgoingTraceparent } from "../observability/log-context";
import type { PaymentRecord } from "../payments/payment";
import type { EmailMessage } from "./message";
import type { ReceiptFacts } from "./receipts";

export function receiptMessagesOf(payment: PaymentRecord | undefined, events: EventRecord[]): EmailMessage[] {
  const to = payment?.customerEmail;
  if (!payment || !to) return [];
  const base = { kind: "email" as const, to, merchantId: payment.merchantId, livemode: payment.livemode };
  const facts: Omit<ReceiptFacts, "amount" | "currency" | "at" | "refundNo"> = {
    paymentNo: payment.paymentNo,
    orderNo: payment.orderNo,
    language: payment.language ?? null,
    livemode: payment.livemode,
  };
  return events.flatMap((event): EmailMessage[] => {
    const object = event.data.object;
    if (event.type === "payment.succeeded") {
      const receipt = { ...facts, amount: payment.amount, currency: payment.currency, at: payment.paidAt ?? event.createdAt, refundNo: null };
      return [{ ...base, type: "receipt.payment", dedupeKey: event.id, receipt }];
    }
    if (event.type === "refund.succeeded" && object.object === "refund") {
      const receipt = { ...facts, amount: object.amount, currency: object.currency, at: event.createdAt, refundNo: object.refund_no };
      return [{ ...base, type: "receipt.refund", dedupeKey: event.id, receipt }];
    }
    return [];
  });
}

/** Hands the drained events' receipts to the notifications queue; a failure leaves them to the next drain. */
export async function enqueueReceipts(env: Env, payment: PaymentRecord | undefined, events: EventRecord[]): Promise<void> {
  const messages = receiptMessagesOf(payment, events);
  // in the payment's trace (the drain runs in it): the receipt's send joins the payment's journey
  if (messages.length > 0) await env.NOTIFICATIONS.sendBatch(messages.map((body) => ({ body: { ...body, traceparent: outgoingTraceparent() } })));
}
