// PaymentDO answers with outcomes, not exceptions (errors lose their shape crossing RPC);
// this turns each outcome into the platform's answer.
import { ApiError, conflict } from "../../../shared/errors";
import type { PaymentOutcome, PaymentRecord } from "../../../shared/payments/payment";
import { paymentJson } from "../../../shared/payments/payment-json";
import type { RiskAsk } from "../../../shared/risk/assess";

export function paymentOrThrow(outcome: PaymentOutcome, paymentNo: string): PaymentRecord {
  switch (outcome.kind) {
    case "created":
    case "existing":
      return outcome.payment;
    case "not_found":
      throw new ApiError(404, "invalid_request_error", "resource_missing", `No such payment: '${paymentNo}'.`);
    case "conflict":
      throw conflict(
        "payment_order_conflict",
        `Order '${outcome.payment.orderNo}' already has payment ${outcome.payment.paymentNo} ` +
          `for ${outcome.payment.amount} ${outcome.payment.currency}; one order has one payment.`,
        "order_no",
      );
    case "unexpected_state":
      throw conflict("payment_unexpected_state", outcome.message).with({ payment: paymentJson(outcome.payment) });
    case "channel_error":
      throw new ApiError(
        outcome.status,
        outcome.status === 502 ? "api_error" : "channel_error",
        outcome.code,
        outcome.message,
      );
  }
}

/**
 * A payment a risk rule blocked is recorded (failed, `risk_blocked`) and answered 402 naming the
 * rule, with the payment; a repeated create of it answers the same.
 */
export function refuseBlocked(payment: PaymentRecord): PaymentRecord {
  if (payment.failure?.code !== "risk_blocked") return payment;
  throw new ApiError(402, "channel_error", "risk_blocked", payment.failure.message).with({ payment: paymentJson(payment) });
}

/** What the risk rules may read of a create's body, on the channel routing chose. */
export const riskAskOf = (
  body: { amount: number; currency: string; payment_method?: string; customer_email?: string; customer_name?: string; customer_ip?: string; customer_country?: string; metadata?: Record<string, string> },
  channel: string,
): RiskAsk => ({
  amount: body.amount,
  currency: body.currency,
  paymentMethod: body.payment_method ?? null,
  channel,
  customerEmail: body.customer_email ?? null,
  customerName: body.customer_name ?? null,
  customerIp: body.customer_ip ?? null,
  customerCountry: body.customer_country ?? null,
  metadata: body.metadata ?? {},
});
