// Money that did not go as asked (a crypto invoice paid in part, paid over, or paid after it
// expired). The platform never keeps it silently: each is recorded on the payment, with its
// amount once the channel has said what the buyer paid, and the merchant is told (event
// `payment.exception`). Settling it with the buyer is the merchant's, at its channel account.
import type { ChannelException } from "../channels/adapter";
import type { PaymentRecord } from "./payment";

export interface PaymentException extends ChannelException {
  /** In the payment's currency and minor units; null until the channel has said what was paid. */
  amount: number | null;
  recordedAt: number;
}

type Received = { amount: number; currency: string } | null | undefined;

/** How much of what the buyer paid the exception is about: all of it, or what exceeds the price. */
function amountOf(code: ChannelException["code"], payment: Pick<PaymentRecord, "amount" | "currency">, received: Received): number | null {
  if (!received || received.currency !== payment.currency) return null;
  return code === "overpaid" ? Math.max(0, received.amount - payment.amount) : received.amount;
}

/**
 * The payment's exceptions with `reported` recorded (or its amount learnt); null when that
 * changes nothing, so a repeated report commits nothing.
 */
export function recordException(payment: PaymentRecord, reported: ChannelException, received: Received, now: number): PaymentException[] | null {
  const current = payment.exceptions ?? [];
  const amount = amountOf(reported.code, payment, received);
  const known = current.find((e) => e.code === reported.code);
  if (known && (amount === null || known.amount === amount)) return null;
  if (known) return current.map((e) => (e === known ? { ...e, amount } : e));
  return [...current, { ...reported, amount, recordedAt: now }];
}
