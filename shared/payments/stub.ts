import { PAYMENT_NO_PATTERN } from "./payment-no";

/** The PaymentDO for a payment_no; null for a string that cannot be one (no object is made). */
export function paymentStub(env: Env, paymentNo: string) {
  if (!PAYMENT_NO_PATTERN.test(paymentNo)) return null;
  return env.PAYMENT.get(env.PAYMENT.idFromName(paymentNo));
}
