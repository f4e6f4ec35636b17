// The merchant's money: overview, payments, refunds, orders.
import type { Page } from "../../routes";

export const MONEY_PAGES: Page[] = [];
