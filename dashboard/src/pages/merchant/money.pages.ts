// The merchant's money: overview, payments, refunds, orders.
import "./money.css";
import type { Page } from "../../routes";
import { OrderPage } from "./order";
import { OrdersPage } from "./orders";
import { OverviewPage } from "./overview";
import { PaymentPage } from "./payment";
import { PaymentsPage } from "./payments";
import { RefundsPage } from "./refunds";

export const MONEY_PAGES: Page[] = [
  { path: "", component: OverviewPage, kind: "merchant", nav: "Overview" },
  { path: "/payments", component: PaymentsPage, kind: "merchant", nav: "Payments" },
  { path: "/payments/:paymentNo", component: PaymentPage, kind: "merchant" },
  { path: "/refunds", component: RefundsPage, kind: "merchant", nav: "Refunds" },
  { path: "/orders", component: OrdersPage, kind: "merchant", nav: "Orders" },
  { path: "/orders/:orderNo", component: OrderPage, kind: "merchant" },
];
