// Orders, newest first (GET /api/v1/orders), a page at a time, narrowed by status; each opens its
// page, where it is shipped, completed, cancelled or refunded.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { type Column, PagedTable } from "../../components/data-table";
import { SelectField } from "../../components/field";
import { formatMoney } from "../../components/money";
import { StatusBadge, statusOptions } from "../../components/status-badge";
import { Time } from "../../components/time";
import { useCursorList } from "../../use-api";
import { ORDER_STATUSES } from "../../../../shared/orders/state-machine";
import { type Order, orderHref } from "./money-api";

const columns: Column<Order>[] = [
  { header: "Order", cell: (o) => html`<a href=${orderHref(o.order_no)}><code>${o.order_no}</code></a>` },
  { header: "Total", cell: (o) => formatMoney(o.total_amount, o.currency), numeric: true },
  { header: "Status", cell: (o) => html`<${StatusBadge} status=${o.status} />` },
  { header: "Items", cell: (o) => o.items.reduce((sum, item) => sum + item.quantity, 0), numeric: true },
  { header: "Customer email", cell: (o) => o.customer_email },
  { header: "Your reference", cell: (o) => o.merchant_reference ?? "—" },
  { header: "Created", cell: (o) => html`<${Time} value=${o.created_at} />` },
];

export function OrdersPage() {
  const [status, setStatus] = useState("");
  const orders = useCursorList<Order>("/api/v1/orders", { query: { status }, cursorOf: (o) => o.order_no });
  return html`<section>
    <h1>Orders</h1>
    <div class="list-filters">
      <${SelectField} label="Status" value=${status} onValue=${setStatus} options=${statusOptions(ORDER_STATUSES, "All statuses")} />
    </div>
    <${PagedTable}
      list=${orders}
      caption="Orders, newest first"
      columns=${columns}
      rowKey=${(o: Order) => o.order_no}
      empty=${status ? "No order has this status." : "No orders in this mode yet."}
    />
  </section>`;
}
