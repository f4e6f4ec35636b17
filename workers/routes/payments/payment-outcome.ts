// PaymentDO answers with outcomes, not exceptions (errors lose their shape crossing RPC);
// this turns each outcome into the platform's answer.
import { ApiError, conflict } from "../../../shared/errors";
import type { PaymentOutcome, PaymentRecord } from "../../../shared/payments/payment";
import { paymentJson } from "../../../shared/payments/payment-json";

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
