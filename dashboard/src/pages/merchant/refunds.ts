// Refunds, newest first (GET /api/v1/refunds), a page at a time, narrowed by status; each links to
// its payment, where refunds are made.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { type Column, PagedTable } from "../../components/data-table";
import { SelectField } from "../../components/field";
import { formatMoney } from "../../components/money";
import { StatusBadge, statusOptions } from "../../components/status-badge";
import { Time } from "../../components/time";
import { useCursorList } from "../../use-api";
import { type Refund, type RefundStatus, paymentHref } from "./money-api";

// REFUND_STATUSES of shared/refunds/refund.ts, whose module brings the Worker's channels and bindings
// with it (types the browser build cannot check)
const STATUSES: RefundStatus[] = ["pending", "succeeded", "failed"];

const columns: Column<Refund>[] = [
  { header: "Refund", cell: (r) => html`<code>${r.refund_no}</code>` },
  { header: "Payment", cell: (r) => html`<a href=${paymentHref(r.payment_no)}><code>${r.payment_no}</code></a>` },
  { header: "Amount", cell: (r) => formatMoney(r.amount, r.currency), numeric: true },
  { header: "Status", cell: (r) => html`<${StatusBadge} status=${r.status} />` },
  { header: "Reason", cell: (r) => r.reason ?? "—" },
  { header: "Created", cell: (r) => html`<${Time} value=${r.created_at} />` },
];

export function RefundsPage() {
  const [status, setStatus] = useState("");
  const refunds = useCursorList<Refund>("/api/v1/refunds", { query: { status }, cursorOf: (r) => r.refund_no });
  return html`<section>
    <h1>Refunds</h1>
    <p>Refund a payment from its page. A refund is pending until its channel settles it.</p>
    <div class="list-filters">
      <${SelectField} label="Status" value=${status} onValue=${setStatus} options=${statusOptions(STATUSES, "All statuses")} />
    </div>
    <${PagedTable}
      list=${refunds}
      caption="Refunds, newest first"
      columns=${columns}
      rowKey=${(r: Refund) => r.refund_no}
      empty=${status ? "No refund has this status." : "No refunds in this mode yet."}
    />
  </section>`;
}
