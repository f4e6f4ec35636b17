// A notifications-queue message that asks for one email: a receipt (merchantId set; its opt-in is
// checked when consumed) or an operator alert. The queue consumer sends each (dedupeKey, to) once.
import type { Traced } from "../observability/trace-context";
import type { AlertFacts } from "./alerts";
import type { ReceiptFacts, ReceiptKind } from "./receipts";

export type EmailMessage = Traced & {
  kind: "email";
  /** What the email is about, once per recipient: the event id for a receipt. */
  dedupeKey: string;
  to: string;
  /** The mode it is about; null for an alert about the platform (dead letters). */
  livemode: boolean | null;
} & ({ type: ReceiptKind; merchantId: string; receipt: ReceiptFacts } | { type: AlertFacts["type"]; merchantId: null; alert: AlertFacts });
