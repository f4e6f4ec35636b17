import { annotate } from "../observability/log-context";
import { PAYMENT_NO_PATTERN } from "./payment-no";

/**
 * The PaymentDO for a payment_no; null for a string that cannot be one (no object is made). The
 * work at hand is about that payment from here on: its log lines say so.
 */
export function paymentStub(env: Env, paymentNo: string) {
  if (!PAYMENT_NO_PATTERN.test(paymentNo)) return null;
  annotate({ paymentNo });
  return env.PAYMENT.get(env.PAYMENT.idFromName(paymentNo));
}
