// One order (GET /api/v1/orders/{orderNo}): its items and totals, its payment, and the moves its
// status allows by the order state table (shared/orders/state-machine.ts): ship, complete, cancel,
// refund (POST /api/v1/orders/{orderNo}/ship|complete|cancel|refund), each after a confirm.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { api } from "../../api";
import type { Payment } from "../../api-types";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { type Column, DataTable } from "../../components/data-table";
import { DetailsList } from "../../components/details-list";
import { DoneBanner } from "../../components/done-banner";
import { ErrorBanner } from "../../components/error-banner";
import { TextField } from "../../components/field";
import { formatMoney } from "../../components/money";
import { StatusBadge, statusWords } from "../../components/status-badge";
import { Time } from "../../components/time";
import { BASE } from "../../paths";
import { useApiGet } from "../../use-api";
import { useChange, useMayPost } from "../../use-change";
import { REFUNDABLE_ORDER, canMoveOrder } from "../../../../shared/orders/state-machine";
import { type Order, type Refund, paymentHref } from "./money-api";
import { RefundDialog } from "./refund-dialog";
import { useRefreshWhile } from "./refresh-while";

type Move = "ship" | "complete" | "cancel" | "refund";
type Item = Order["items"][number];

export function OrderPage({ orderNo }: { orderNo: string }) {
  const path = `/api/v1/orders/${encodeURIComponent(orderNo)}`;
  const order = useApiGet<Order>(path);
  const mayPost = useMayPost();
  const change = useChange();
  const [asking, setAsking] = useState<Move | null>(null);
  const [carrier, setCarrier] = useState("");
  const [trackingNo, setTrackingNo] = useState("");
  // the order follows a refund once the channel settles it: read it again until its refunded amount moves
  const [refundedBefore, setRefundedBefore] = useState<number | null>(null);
  useRefreshWhile(refundedBefore !== null && order.data?.refunded_amount === refundedBefore, order.reload);

  const o = order.data;
  if (o === undefined) {
    return html`<section>
      <p><a href=${`${BASE}/orders`}>← Orders</a></p>
      <${ErrorBanner} error=${order.error} />
      ${order.loading && html`<p class="loading" role="status">Loading…</p>`}
    </section>`;
  }

  const money = (amount: number) => formatMoney(amount, o.currency);
  const remainder = o.paid_amount - o.refunded_amount;
  const offered: Record<Move, boolean> = {
    ship: canMoveOrder(o.status, "shipped"),
    complete: canMoveOrder(o.status, "completed"),
    cancel: canMoveOrder(o.status, "cancelled"),
    refund: REFUNDABLE_ORDER.includes(o.status) && o.payment_no !== null && remainder > 0,
  };
  const moves = (Object.keys(offered) as Move[]).filter((move) => offered[move] && mayPost(`${path}/${move}`));

  /** Closes the confirm and makes the move; the order as it now stands is shown. */
  const make = <T>(move: Move, body: unknown, said: (answer: T) => string) => {
    setAsking(null);
    return change.run(async () => {
      const answer = await api<T>(`${path}/${move}`, { method: "POST", body });
      if (move === "refund") setRefundedBefore(o.refunded_amount);
      order.reload();
      return said(answer);
    });
  };
  const ship = () => make<Order>("ship", { carrier, tracking_no: trackingNo }, (a) => `Order shipped with ${a.carrier}, tracking number ${a.tracking_no}.`);
  const complete = () => make("complete", undefined, () => "Order completed.");
  const cancel = () => make("cancel", undefined, () => "Order cancelled.");
  const refund = (amount: number, reason: string | undefined) =>
    make<Refund>("refund", { amount, reason }, (r) => `Refund ${r.refund_no} of ${money(r.amount)} made: ${r.status}. The order follows once the channel settles it.`);

  const LABELS: Record<Move, string> = { ship: "Ship", complete: "Complete", cancel: "Cancel order", refund: "Refund" };

  return html`<section>
    <p><a href=${`${BASE}/orders`}>← Orders</a></p>
    <header class="page-header">
      <div>
        <h1>${money(o.total_amount)} <${StatusBadge} status=${o.status} /></h1>
        <p class="muted">Order <code>${o.order_no}</code></p>
      </div>
      ${moves.length > 0 &&
      html`<div class="actions">
        ${moves.map(
          (move) => html`<button
            type="button"
            class=${move === "cancel" || move === "refund" ? "danger" : "primary"}
            disabled=${change.busy}
            onClick=${() => setAsking(move)}
          >
            ${LABELS[move]}
          </button>`,
        )}
      </div>`}
    </header>
    <${DoneBanner} text=${change.done} />
    <${ErrorBanner} error=${change.error} />
    <div class="sections">
      <section class="panel" aria-labelledby="order-heading">
        <h2 id="order-heading">Details</h2>
        <${OrderDetails} order=${o} />
      </section>
      <section class="panel" aria-labelledby="payment-heading">
        <h2 id="payment-heading">Payment</h2>
        ${o.payment_no === null ? html`<p>Not paid yet: no payment was started.</p>` : html`<${OrderPayment} paymentNo=${o.payment_no} />`}
      </section>
    </div>
    <${DataTable} caption="Items" columns=${itemColumns(o.currency)} rows=${o.items} rowKey=${(item: Item) => `${item.product_id}:${item.unit_price}`} />
    <section class="panel" aria-labelledby="totals-heading">
      <h2 id="totals-heading">Totals</h2>
      <${DetailsList}
        rows=${[
          ["Total", money(o.total_amount)],
          ["Paid", money(o.paid_amount)],
          ["Refunded", money(o.refunded_amount)],
        ]}
      />
    </section>

    <${ConfirmDialog} open=${asking === "ship"} title="Ship this order?" confirmLabel="Mark shipped" onConfirm=${ship} onCancel=${() => setAsking(null)}>
      <p>The order is marked shipped with this carrier and tracking number.</p>
      <${TextField} label="Carrier" name="carrier" required value=${carrier} onValue=${setCarrier} hint="For example UPS." />
      <${TextField} label="Tracking number" name="tracking_no" required value=${trackingNo} onValue=${setTrackingNo} />
    </${ConfirmDialog}>
    <${ConfirmDialog}
      open=${asking === "complete"}
      title="Complete this order?"
      confirmLabel="Mark completed"
      onConfirm=${complete}
      onCancel=${() => setAsking(null)}
    >
      <p>The order is marked completed: delivered, nothing left to do. It can still be refunded.</p>
    </${ConfirmDialog}>
    <${ConfirmDialog} open=${asking === "cancel"} title="Cancel this order?" confirmLabel="Cancel order" onConfirm=${cancel} onCancel=${() => setAsking(null)}>
      <p>The order can no longer be paid, and a payment still in progress is cancelled. This cannot be undone.</p>
    </${ConfirmDialog}>
    <${RefundDialog}
      open=${asking === "refund"}
      title="Refund this order?"
      currency=${o.currency}
      remainder=${remainder}
      reasonRequired=${true}
      onRefund=${refund}
      onCancel=${() => setAsking(null)}
    />
  </section>`;
}

const itemColumns = (currency: string): Column<Item>[] => [
  { header: "Product", cell: (item) => item.product_name },
  { header: "Product id", cell: (item) => html`<code>${item.product_id}</code>` },
  { header: "Unit price", cell: (item) => formatMoney(item.unit_price, currency), numeric: true },
  { header: "Quantity", cell: (item) => item.quantity, numeric: true },
  { header: "Line total", cell: (item) => formatMoney(item.line_total, currency), numeric: true },
];

function OrderDetails({ order: o }: { order: Order }) {
  const time = (value: string | null) => value && html`<${Time} value=${value} />`;
  const address = o.shipping && ["name", "line1", "line2", "postal_code", "city", "state", "country", "phone"].map((k) => o.shipping![k]).filter(Boolean).join(", ");
  return html`<${DetailsList}
    label="Order details"
    rows=${[
      ["Status", statusWords(o.status)],
      ["Customer", [o.customer_name, o.customer_email].filter(Boolean).join(", ")],
      ["Your reference", o.merchant_reference],
      ["Ship to", address],
      ["Carrier", o.carrier],
      ["Tracking number", o.tracking_no && html`<code>${o.tracking_no}</code>`],
      ["Created", time(o.created_at)],
      ["Paid", time(o.paid_at)],
      ["Shipped", time(o.shipped_at)],
      ["Completed", time(o.completed_at)],
      ["Cancelled", time(o.cancelled_at)],
    ]}
  />`;
}

/** The order's payment: the one that paid it, or the attempt in progress. */
function OrderPayment({ paymentNo }: { paymentNo: string }) {
  const payment = useApiGet<Payment>(`/api/v1/payments/${encodeURIComponent(paymentNo)}`);
  const p = payment.data;
  if (p === undefined) {
    return html`<${ErrorBanner} error=${payment.error} />
      ${payment.loading && html`<p class="loading" role="status">Loading…</p>`}`;
  }
  return html`<${DetailsList}
    label="Order payment"
    rows=${[
      ["Payment", html`<a href=${paymentHref(p.payment_no)}><code>${p.payment_no}</code></a>`],
      ["Amount", formatMoney(p.amount, p.currency)],
      ["Status", html`<${StatusBadge} status=${p.status} />`],
      ["Refunded", formatMoney(p.refunded_amount, p.currency)],
      ["Channel", p.channel],
      ["Created", html`<${Time} value=${p.created_at} />`],
    ]}
  />`;
}
