// The review queue (GET /api/v1/risk/reviews): payments a review rule flagged whose review is
// still open, newest first, each linked to its page; owners approve (nothing else changes) or
// reject (cancelled while it still can be, else refunded in full) after a confirm.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { api } from "../../api";
import type { Payment } from "../../api-types";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { type Column, PagedTable } from "../../components/data-table";
import { ErrorBanner } from "../../components/error-banner";
import { formatMoney } from "../../components/money";
import { Time } from "../../components/time";
import { BASE } from "../../paths";
import { useSession } from "../../session";
import { useCursorList } from "../../use-api";
import { useChange } from "../../use-change";
import { RiskTabs } from "./risk-tabs";

type Verdict = "approve" | "reject";

const VERDICTS: Record<Verdict, { title: string; confirm: string; says: string; done: (p: Payment) => string }> = {
  approve: {
    title: "Approve this payment?",
    confirm: "Approve",
    says: "The review closes and nothing else about the payment changes.",
    done: (p) => `Approved ${p.payment_no}: its review is closed.`,
  },
  reject: {
    title: "Reject this payment?",
    confirm: "Reject",
    says: "The payment is cancelled if it still can be, else refunded in full (reason: fraudulent), and the review closes. This cannot be undone.",
    done: (p) => `Rejected ${p.payment_no}: its review is closed and the payment is ${p.status}.`,
  },
};

export function RiskReviewsPage() {
  const { user } = useSession();
  const owner = user.role === "owner";
  const reviews = useCursorList<Payment>("/api/v1/risk/reviews", { cursorOf: (p) => p.payment_no });
  const [asking, setAsking] = useState<{ payment: Payment; verdict: Verdict } | null>(null);
  const { busy, error, done, run } = useChange();

  const close = () => {
    const { payment, verdict } = asking!;
    setAsking(null);
    return run(async () => {
      const closed = await api<Payment>(`/api/v1/risk/reviews/${encodeURIComponent(payment.payment_no)}/${verdict}`, { method: "POST" });
      return VERDICTS[verdict].done(closed);
    }).then(reviews.reload);
  };

  const columns: Column<Payment>[] = [
    { header: "Payment", cell: (p) => html`<a href=${`${BASE}/payments/${p.payment_no}`}><code>${p.payment_no}</code></a>` },
    { header: "Amount", cell: (p) => formatMoney(p.amount, p.currency), numeric: true },
    { header: "Customer", cell: (p) => p.customer_email ?? p.customer_name ?? "—" },
    { header: "Status", cell: (p) => p.status },
    { header: "Created", cell: (p) => html`<${Time} value=${p.created_at} />` },
    ...(owner
      ? [
          {
            header: "Decision",
            cell: (p: Payment) => html`<div class="actions controls-row-actions">
              <button type="button" disabled=${busy} onClick=${() => setAsking({ payment: p, verdict: "approve" })}
                aria-label=${`Approve ${p.payment_no}`}>Approve</button>
              <button type="button" class="danger" disabled=${busy} onClick=${() => setAsking({ payment: p, verdict: "reject" })}
                aria-label=${`Reject ${p.payment_no}`}>Reject</button>
            </div>`,
          },
        ]
      : []),
  ];
  const verdict = asking && VERDICTS[asking.verdict];

  return html`<section>
    <${RiskTabs} />
    <p>Payments a review rule flagged: they went ahead, and wait for your decision. Open one to see the rule that flagged it.</p>
    <p role="status" class="outcome">${done}</p>
    <${ErrorBanner} error=${error} />
    <${PagedTable} list=${reviews} caption="Open reviews, newest first" columns=${columns} rowKey=${(p: Payment) => p.payment_no}
      empty="No payments are waiting for review." />
    <${ConfirmDialog}
      open=${asking !== null}
      title=${verdict?.title ?? ""}
      confirmLabel=${verdict?.confirm ?? ""}
      onConfirm=${close}
      onCancel=${() => setAsking(null)}
    >
      <p><code>${asking?.payment.payment_no}</code>, ${asking && formatMoney(asking.payment.amount, asking.payment.currency)}: ${verdict?.says}</p>
    </${ConfirmDialog}>
  </section>`;
}
