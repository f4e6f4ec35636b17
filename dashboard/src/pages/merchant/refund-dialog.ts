// "Refund this?" with the amount and the reason: the amount in major units of the payment's
// currency, first what is left to refund, converted exactly (major-units.ts). A payment's page and
// an order's page both refund through it; the page makes the call.
import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { TextField } from "../../components/field";
import { formatMoney } from "../../components/money";
import { toMajorUnits, toMinorUnits } from "./major-units";

export interface RefundDialogProps {
  open: boolean;
  title: string;
  currency: string;
  /** Minor units left to refund: the amount the form starts with. */
  remainder: number;
  /** The order refund asks for a reason; a payment refund takes one if given. */
  reasonRequired: boolean;
  onRefund: (amount: number, reason: string | undefined) => void;
  onCancel: () => void;
}

export function RefundDialog({ open, title, currency, remainder, reasonRequired, onRefund, onCancel }: RefundDialogProps) {
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState("");
  useEffect(() => {
    if (!open) return;
    setAmount(toMajorUnits(remainder, currency));
    setReason("");
    setProblem("");
  }, [open]);

  const confirm = () => {
    const minor = toMinorUnits(amount, currency);
    if (!minor.ok) return setProblem(minor.message);
    if (reasonRequired && !reason.trim()) return setProblem("Give a reason: it is kept with the refund.");
    onRefund(minor.value, reason.trim() || undefined);
  };

  return html`<${ConfirmDialog} open=${open} title=${title} confirmLabel="Refund" onConfirm=${confirm} onCancel=${onCancel}>
    <p>${formatMoney(remainder, currency)} is left to refund. A refund cannot be undone; it is pending until the channel settles it.</p>
    ${problem && html`<p class="field-error" role="alert">${problem}</p>`}
    <${TextField}
      label=${`Amount (${currency})`}
      name="amount"
      inputMode="decimal"
      autocomplete="off"
      required
      value=${amount}
      onValue=${setAmount}
      hint=${`In ${currency}, at most ${toMajorUnits(remainder, currency)}.`}
    />
    <${TextField}
      label=${reasonRequired ? "Reason" : "Reason (optional)"}
      name="reason"
      autocomplete="off"
      required=${reasonRequired}
      value=${reason}
      onValue=${setReason}
      hint="For example requested_by_customer. Kept with the refund."
    />
  </${ConfirmDialog}>`;
}
