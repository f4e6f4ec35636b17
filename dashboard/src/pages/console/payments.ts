// Every merchant's payments in the mode shown, newest first, filtered by merchant, status, channel
// and the buyer's email. A merchant's page links here with its merchant_id filled in.
import { html } from "htm/preact";
import { PAYMENT_STATUSES } from "../../../../shared/payments/state-machine";
import type { Payment } from "../../api-types";
import { type Column, PagedTable } from "../../components/data-table";
import { SelectField, TextField } from "../../components/field";
import { formatMoney } from "../../components/money";
import { StatusBadge, statusOptions, statusWords } from "../../components/status-badge";
import { Time } from "../../components/time";
import { useSession } from "../../session";
import { useCursorList } from "../../use-api";
import { FilterForm, useFilters } from "./filters";
import { merchantHref } from "./merchants";

/** The merchant's payment, as lists show it, naming its merchant. */
type AdminPayment = Payment & { merchant_id: string };

const STATUS_OPTIONS = statusOptions(PAYMENT_STATUSES, "Any status");

const columns: Column<AdminPayment>[] = [
  {
    header: "Payment",
    cell: (p) => html`<code>${p.payment_no}</code><br /><span class="console-secondary">Order ${p.order_no}</span>`,
  },
  { header: "Merchant", cell: (p) => html`<a href=${merchantHref(p.merchant_id)}><code>${p.merchant_id}</code></a>` },
  { header: "Amount", numeric: true, cell: (p) => formatMoney(p.amount, p.currency) },
  {
    header: "Status",
    cell: (p) => html`<${StatusBadge} status=${p.status} /><br />
      <span class="console-secondary">on ${p.channel}</span>`,
  },
  { header: "Customer", cell: (p) => p.customer_email ?? "—" },
  { header: "Created", cell: (p) => html`<${Time} value=${p.created_at} />` },
];

export function PaymentsPage({ query }: { query: Record<string, string> }) {
  const { livemode } = useSession();
  const mode = livemode ? "live" : "test";
  const filters = useFilters({ merchant_id: query.merchant_id ?? "", status: "", channel: "", customer_email: "" });
  const payments = useCursorList<AdminPayment>("/api/v1/admin/payments", {
    query: { ...filters.applied, livemode },
    cursorOf: (p) => p.payment_no,
  });
  const whose = filters.applied.merchant_id ? `of ${filters.applied.merchant_id}` : "of every merchant";

  return html`<section class="console-page">
    <h1>Payments</h1>
    <${FilterForm} label="Filter payments" onApply=${filters.apply}>
      <${TextField} label="Merchant ID" name="merchant_id" ...${filters.typed("merchant_id")} />
      <${SelectField} label="Status" name="status" options=${STATUS_OPTIONS} ...${filters.chosen("status")} />
      <${TextField} label="Channel" name="channel" hint="Its name: sandbox, stripe…" ...${filters.typed("channel")} />
      <${TextField} label="Customer email" type="email" name="customer_email" hint="The whole address." ...${filters.typed("customer_email")} />
    </${FilterForm}>
    <${PagedTable}
      list=${payments}
      caption=${`${statusWords(mode)} payments ${whose}, newest first`}
      columns=${columns}
      rowKey=${(p: AdminPayment) => p.payment_no}
      empty="No payment matches."
    />
  </section>`;
}
