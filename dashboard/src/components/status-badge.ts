// A status in words (a payment's, a refund's, an order's, a delivery's, a risk action, a review, a
// merchant's), tinted by what it means (the colour only repeats the word), and the options of a
// filter by status.
import { html } from "htm/preact";

type Tone = "ok" | "muted" | "warning" | "danger";

const TONES: Record<string, Tone> = {
  succeeded: "ok",
  paid: "ok",
  shipped: "ok",
  completed: "ok",
  delivered: "ok",
  pending: "muted",
  cancelled: "muted",
  skipped: "muted",
  requires_action: "warning",
  processing: "warning",
  partially_refunded: "warning",
  refunded: "warning",
  open: "warning",
  failed: "danger",
  rejected: "danger",
  block: "danger",
  review: "warning",
  allow: "ok",
  approved: "ok",
  active: "ok",
  suspended: "danger",
};

/** "partially_refunded" → "Partially refunded". */
export const statusWords = (status: string) => {
  const words = status.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export function StatusBadge({ status }: { status: string }) {
  return html`<span class="badge badge-${TONES[status] ?? "muted"}">${statusWords(status)}</span>`;
}

/** A status filter's options: every status, after "all". */
export const statusOptions = (statuses: readonly string[], all: string) => [
  { value: "", label: all },
  ...statuses.map((status) => ({ value: status, label: statusWords(status) })),
];
