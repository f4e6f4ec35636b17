// The payment state machine as data: a table of allowed transitions. Nothing else decides
// whether a payment may move; code asks this table.

export const PAYMENT_STATUSES = [
  "pending",
  "requires_action",
  "processing",
  "succeeded",
  "failed",
  "cancelled",
  "partially_refunded",
  "refunded",
] as const;

export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const PAYMENT_TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  pending: ["processing", "requires_action", "failed", "cancelled"],
  requires_action: ["processing", "failed", "cancelled"],
  processing: ["succeeded", "failed"],
  succeeded: ["partially_refunded", "refunded"],
  partially_refunded: ["refunded"],
  failed: [],
  cancelled: [],
  refunded: [],
};

export const canTransition = (from: PaymentStatus, to: PaymentStatus) =>
  PAYMENT_TRANSITIONS[from].includes(to);

/** States a merchant may still cancel from. */
export const CANCELLABLE: readonly PaymentStatus[] = PAYMENT_STATUSES.filter((s) =>
  canTransition(s, "cancelled"),
);

/**
 * The shortest chain of allowed transitions from `from` to `to` (excluding `from`), or null.
 * A channel reports outcomes, not every step: "succeeded" may arrive while the payment is still
 * pending because the "processing" event is late. The chain records the implied steps, and a
 * report that no chain reaches (a late "processing" after "succeeded") changes nothing.
 */
export function pathTo(from: PaymentStatus, to: PaymentStatus): PaymentStatus[] | null {
  const previous = new Map<PaymentStatus, PaymentStatus>();
  const queue: PaymentStatus[] = [from];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const next of PAYMENT_TRANSITIONS[current]) {
      if (next === from || previous.has(next)) continue;
      previous.set(next, current);
      if (next === to) {
        const path: PaymentStatus[] = [to];
        for (let step = current; step !== from; step = previous.get(step)!) path.unshift(step);
        return path;
      }
      queue.push(next);
    }
  }
  return null;
}
