// One payment (GET /api/v1/payments/{paymentNo}): its details, its timeline, its attempts and the
// routing and risk decisions, its refunds and its events; owners refund it from here
// (POST /api/v1/refunds). While a refund or the payment itself is still moving, the page reads
// again every few seconds, so it shows how the channel settled.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { type List, api } from "../../api";
import type { ApiEvent, Payment } from "../../api-types";
import { type Column, PagedTable } from "../../components/data-table";
import { DetailsList } from "../../components/details-list";
import { DoneBanner } from "../../components/done-banner";
import { ErrorBanner } from "../../components/error-banner";
import { formatMoney } from "../../components/money";
import { StatusBadge, statusWords } from "../../components/status-badge";
import { Time } from "../../components/time";
import { BASE } from "../../paths";
import { useApiGet, useCursorList } from "../../use-api";
import { useChange, useMayPost } from "../../use-change";
import { canTransition } from "../../../../shared/payments/state-machine";
import { type Refund, type Transition, orderHref } from "./money-api";
import { AttemptsAndRouting, RiskDecision } from "./payment-decisions";
import { Events, Timeline } from "./payment-history";
import { RefundDialog } from "./refund-dialog";
import { useRefreshWhile } from "./refresh-while";

/** States the channel still moves on its own (requires_action waits on the buyer, who may never come). */
const MOVING = ["pending", "processing"];

const refundColumns: Column<Refund>[] = [
  { header: "Refund", cell: (r) => html`<code>${r.refund_no}</code>` },
  { header: "Amount", cell: (r) => formatMoney(r.amount, r.currency), numeric: true },
  { header: "Status", cell: (r) => html`<${StatusBadge} status=${r.status} />` },
  { header: "Reason", cell: (r) => r.reason ?? "—" },
  { header: "Failure", cell: (r) => (r.failure ? html`<code>${r.failure.code}</code> ${r.failure.message}` : "—") },
  { header: "Created", cell: (r) => html`<${Time} value=${r.created_at} />` },
];

export function PaymentPage({ paymentNo }: { paymentNo: string }) {
  const path = `/api/v1/payments/${encodeURIComponent(paymentNo)}`;
  const payment = useApiGet<Payment>(path);
  const timeline = useApiGet<List<Transition>>(`${path}/timeline`);
  const refunds = useCursorList<Refund>("/api/v1/refunds", { query: { payment_no: paymentNo }, cursorOf: (r) => r.refund_no });
  const events = useCursorList<ApiEvent>("/api/v1/events", { query: { payment_no: paymentNo }, limit: 10 });
  const mayPost = useMayPost();
  const change = useChange();
  const [refunding, setRefunding] = useState(false);
  const [made, setMade] = useState<string | null>(null);

  const p = payment.data;
  const pendingRefunds = refunds.rows?.filter((r) => r.status === "pending") ?? [];
  // succeeded refunds are in refunded_amount; pending ones hold their amount too
  const remainder = p ? p.amount - p.refunded_amount - pendingRefunds.reduce((sum, r) => sum + r.amount, 0) : 0;
  const refundable = p !== undefined && canTransition(p.status, "refunded") && remainder > 0;
  // the refund just made may reach the list a moment after it is made
  const waiting =
    (p !== undefined && MOVING.includes(p.status)) || pendingRefunds.length > 0 || (made !== null && !refunds.rows?.some((r) => r.refund_no === made));

  const reloadAll = () => {
    payment.reload();
    timeline.reload();
    refunds.reload();
    events.reload();
  };
  useRefreshWhile(waiting, reloadAll);

  const refund = (amount: number, reason: string | undefined) => {
    setRefunding(false);
    return change.run(async () => {
      const created = await api<Refund>("/api/v1/refunds", { method: "POST", body: { payment_no: paymentNo, amount, reason } });
      setMade(created.refund_no);
      reloadAll();
      return `Refund ${created.refund_no} of ${formatMoney(created.amount, created.currency)} made. Its status is under Refunds.`;
    });
  };

  return html`<section>
    <p><a href=${`${BASE}/payments`}>← Payments</a></p>
    <${ErrorBanner} error=${payment.error} />
    ${p === undefined
      ? payment.loading && html`<p class="loading" role="status">Loading…</p>`
      : html`<header class="page-header">
            <div>
              <h1>${formatMoney(p.amount, p.currency)} <${StatusBadge} status=${p.status} /></h1>
              <p class="muted">Payment <code>${p.payment_no}</code></p>
            </div>
            ${mayPost("/api/v1/refunds") &&
            refundable &&
            html`<button type="button" class="primary" disabled=${change.busy} onClick=${() => setRefunding(true)}>Refund</button>`}
          </header>
          <${DoneBanner} text=${change.done} />
          <${ErrorBanner} error=${change.error} />
          <div class="sections">
            <section class="panel" aria-labelledby="details-heading">
              <h2 id="details-heading">Details</h2>
              <${PaymentDetails} payment=${p} />
            </section>
            <${Timeline} timeline=${timeline} />
          </div>
          <section class="panel" aria-labelledby="refunds-heading">
            <h2 id="refunds-heading">Refunds</h2>
            <${PagedTable}
              list=${refunds}
              caption="Refunds of this payment"
              columns=${refundColumns}
              rowKey=${(r: Refund) => r.refund_no}
              empty="Not refunded."
            />
          </section>
          <div class="sections">
            <${AttemptsAndRouting} payment=${p} />
            <${RiskDecision} payment=${p} />
          </div>
          <${Events} events=${events} />
          <${RefundDialog}
            open=${refunding}
            title="Refund this payment?"
            currency=${p.currency}
            remainder=${remainder}
            reasonRequired=${false}
            onRefund=${refund}
            onCancel=${() => setRefunding(false)}
          />`}
  </section>`;
}

function PaymentDetails({ payment: p }: { payment: Payment }) {
  const money = (amount: number) => formatMoney(amount, p.currency);
  // a payment an order made carries the order's number (its own order_no may have an attempt suffix)
  const orderNo = p.metadata.order_no;
  return html`<${DetailsList}
    label="Payment details"
    rows=${[
      ["Amount", money(p.amount)],
      ["Refunded", money(p.refunded_amount)],
      ["Status", statusWords(p.status)],
      ["Order number", html`<code>${p.order_no}</code>`],
      ["Order", orderNo && html`<a href=${orderHref(orderNo)}><code>${orderNo}</code></a>`],
      ["Channel", p.channel],
      ["Payment method", p.payment_method && html`<code>${p.payment_method}</code>`],
      ["Customer", [p.customer_name, p.customer_email].filter(Boolean).join(", ")],
      ["Customer IP", p.customer_ip],
      ["Description", p.description],
      ["Failure", p.failure && html`<code>${p.failure.code}</code> ${p.failure.message}`],
      ["Created", html`<${Time} value=${p.created_at} />`],
      ["Paid", p.paid_at && html`<${Time} value=${p.paid_at} />`],
      ["Disputed", p.disputed_at && html`<${Time} value=${p.disputed_at} />`],
      [
        "Exceptions",
        p.exceptions.length > 0 &&
          html`<ul>
            ${p.exceptions.map((e) => html`<li><code>${e.code}</code> ${e.message}${e.amount !== null && ` (${formatMoney(e.amount, e.currency)})`}</li>`)}
          </ul>`,
      ],
      ["Mode", p.livemode ? "Live" : "Test"],
      ["Metadata", Object.keys(p.metadata).length > 0 && html`<code>${JSON.stringify(p.metadata)}</code>`],
    ]}
  />`;
}
