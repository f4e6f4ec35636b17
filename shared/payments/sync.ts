// Status sync (what Hyperswitch calls psync): a payment that stays unfinished, or a refund that
// stays pending, is asked of its channel on a schedule that backs off, in case the channel's
// webhook never came (or the refund's call never went out). The schedule starts over whenever the
// payment changes; its first sync comes when the platform treats work as stranded
// (RECONCILE_AFTER_SECONDS, 2 minutes by default).
import type { RefundRecord } from "../refunds/refund";
import type { PaymentRecord } from "./payment";
import type { PaymentStatus } from "./state-machine";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The wait before each sync after the first, counted from the previous one; the last repeats. */
export const SYNC_DELAYS_MS = [5 * MINUTE, 15 * MINUTE, HOUR, 6 * HOUR, 24 * HOUR] as const;
/** Past this age (since the last change) a payment is no longer synced: it has been asked ten times. */
export const SYNC_WINDOW_MS = 7 * 24 * HOUR;

/** Statuses the channel still has to settle. */
export const UNSETTLED: readonly PaymentStatus[] = ["pending", "requires_action", "processing"];

/** Whether the payment (or one of its refunds) still waits on the channel. */
export const needsSync = (payment: PaymentRecord, refunds: RefundRecord[]) =>
  UNSETTLED.includes(payment.status) || refunds.some((r) => r.status === "pending");

/**
 * When to sync next, after `attempts` syncs since the payment last changed at `changedAt` (the
 * first `firstAfterMs` after the change); null once past the window.
 */
export function nextSyncAt(changedAt: number, attempts: number, now: number, firstAfterMs: number): number | null {
  const at = attempts === 0 ? changedAt + firstAfterMs : now + SYNC_DELAYS_MS[Math.min(attempts - 1, SYNC_DELAYS_MS.length - 1)]!;
  return at - changedAt > SYNC_WINDOW_MS ? null : at;
}
