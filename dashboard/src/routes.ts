// Every page of the dashboard, in one table: its path under /dashboard, its component, who may open
// it, and its entry in the navigation. The router and the navigation are both made from it.
import type { ComponentType } from "preact";
import { CONSOLE_PAGES } from "./pages/console/console.pages";
import { CONTROL_PAGES } from "./pages/merchant/controls.pages";
import { DEVELOPER_PAGES } from "./pages/merchant/developers.pages";
import { MONEY_PAGES } from "./pages/merchant/money.pages";
import { BASE } from "./paths";
import type { Kind, Role, User } from "./session";

export interface Page {
  /** Under /dashboard ("" is /dashboard itself); preact-iso patterns: "/payments/:paymentNo". */
  path: string;
  /** Rendered with the route's params as props (paymentNo, …). */
  component: ComponentType<any>;
  kind: Kind;
  /** The roles that may open it; every role of its kind when absent. */
  roles?: Role[];
  /** Its label in the navigation; none for pages reached from another (one payment). */
  nav?: string;
}

// In navigation order; each area of the dashboard lists its own pages.
export const PAGES: Page[] = [...MONEY_PAGES, ...CONTROL_PAGES, ...DEVELOPER_PAGES, ...CONSOLE_PAGES];

/** The pages this person may open. */
export const pagesFor = (user: User) =>
  PAGES.filter((page) => page.kind === user.kind && (!page.roles || page.roles.includes(user.role)));

export const hrefOf = (page: Page) => `${BASE}${page.path}`;
