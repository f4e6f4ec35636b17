// The merchant's controls: routing and risk. Every merchant role reads them; only owners change
// them (the pages hide the change buttons from the rest, and the API refuses them anyway).
import "./controls.css";
import type { Page } from "../../routes";
import { RiskListsPage } from "./risk-lists";
import { RiskReviewsPage } from "./risk-reviews";
import { RiskRulesPage } from "./risk-rules";
import { RoutingPage } from "./routing";
import { RoutingConfigPage } from "./routing-config";

export const CONTROL_PAGES: Page[] = [
  { path: "/routing", component: RoutingPage, kind: "merchant", nav: "Routing" },
  { path: "/routing/:id", component: RoutingConfigPage, kind: "merchant" },
  { path: "/risk", component: RiskRulesPage, kind: "merchant", nav: "Risk" },
  { path: "/risk/lists", component: RiskListsPage, kind: "merchant" },
  { path: "/risk/reviews", component: RiskReviewsPage, kind: "merchant" },
];
