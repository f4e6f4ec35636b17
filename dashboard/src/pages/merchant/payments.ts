// Payments, newest first (GET /api/v1/payments), a page at a time, narrowed by status and channel,
// and a search box: a payment number opens that payment, an email lists its customer's payments,
// anything else is taken for an order number. The filters live in the address, so Back from a
// payment returns to the same list.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { type List, withQuery } from "../../api";
import type { Channel, Payment } from "../../api-types";
import { type Column, PagedTable } from "../../components/data-table";
import { SelectField, TextField } from "../../components/field";
import { formatMoney } from "../../components/money";
import { StatusBadge, statusOptions } from "../../components/status-badge";
import { Time } from "../../components/time";
import { BASE } from "../../paths";
import { useApiGet, useCursorList } from "../../use-api";
import { PAYMENT_STATUSES } from "../../../../shared/payments/state-machine";
import { paymentHref } from "./money-api";

const PATH = `${BASE}/payments`;
const FILTERS = ["status", "channel", "customer_email", "order_no"] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

const columns: Column<Payment>[] = [
  { header: "Payment", cell: (p) => html`<a href=${paymentHref(p.payment_no)}><code>${p.payment_no}</code></a>` },
  { header: "Amount", cell: (p) => formatMoney(p.amount, p.currency), numeric: true },
  { header: "Status", cell: (p) => html`<${StatusBadge} status=${p.status} />` },
  { header: "Channel", cell: (p) => p.channel },
  { header: "Customer email", cell: (p) => p.customer_email ?? "—" },
  { header: "Created", cell: (p) => html`<${Time} value=${p.created_at} />` },
];

export function PaymentsPage() {
  const { query, route } = useLocation();
  const filters: Filters = Object.fromEntries(FILTERS.flatMap((name) => (query[name] ? [[name, query[name]]] : [])));
  const setFilters = (next: Filters) => route(withQuery(PATH, next), true);
  const payments = useCursorList<Payment>("/api/v1/payments", { query: filters, cursorOf: (p) => p.payment_no });
  const channels = useApiGet<List<Channel>>("/api/v1/channels");
  const [term, setTerm] = useState(filters.customer_email ?? filters.order_no ?? "");

  const search = (event: Event) => {
    event.preventDefault();
    const text = term.trim();
    // payment numbers are upper case; one typed in lower case is still found
    if (/^py/i.test(text)) return route(paymentHref(text.toUpperCase()));
    const { customer_email: _email, order_no: _order, ...rest } = filters;
    setFilters({ ...rest, ...(text === "" ? {} : text.includes("@") ? { customer_email: text } : { order_no: text }) });
  };
  const clearSearch = () => {
    setTerm("");
    setFilters({ ...filters, customer_email: undefined, order_no: undefined });
  };
  const searched = filters.customer_email
    ? html`the payments of <strong>${filters.customer_email}</strong>`
    : filters.order_no && html`the payment of order number <strong>${filters.order_no}</strong>`;

  return html`<section>
    <h1>Payments</h1>
    <form class="search" role="search" onSubmit=${search}>
      <${TextField}
        label="Search"
        type="search"
        name="q"
        value=${term}
        onValue=${setTerm}
        hint="A payment number (PY…) opens that payment; an email lists its customer's payments; anything else finds an order number's payment."
      />
      <button type="submit">Search</button>
    </form>
    ${searched &&
    html`<p class="search-chip" role="status">
      Showing ${searched}.
      <button type="button" onClick=${clearSearch}>Clear search</button>
    </p>`}
    <div class="list-filters">
      <${SelectField}
        label="Status"
        value=${filters.status ?? ""}
        onValue=${(status: string) => setFilters({ ...filters, status })}
        options=${statusOptions(PAYMENT_STATUSES, "All statuses")}
      />
      <${SelectField}
        label="Channel"
        value=${filters.channel ?? ""}
        onValue=${(channel: string) => setFilters({ ...filters, channel })}
        options=${[{ value: "", label: "All channels" }, ...(channels.data?.data ?? []).map((c) => ({ value: c.channel, label: c.channel }))]}
      />
    </div>
    <${PagedTable}
      list=${payments}
      caption="Payments, newest first"
      columns=${columns}
      rowKey=${(p: Payment) => p.payment_no}
      empty=${Object.keys(filters).length > 0 ? "No payment matches." : "No payments in this mode yet."}
    />
  </section>`;
}
