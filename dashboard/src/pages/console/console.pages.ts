// The operators' console: every merchant, every payment, the channels, the queues' dead letters,
// the platform's risk rules and the audit log.
import type { Page } from "../../routes";
import "./console.css";
import { AuditLogPage } from "./audit-log";
import { ChannelHealthPage } from "./channel-health";
import { DeadLettersPage } from "./dead-letters";
import { MerchantPage } from "./merchant";
import { MerchantsPage } from "./merchants";
import { PaymentsPage } from "./payments";
import { RiskRulesPage } from "./risk-rules";

export const CONSOLE_PAGES: Page[] = [
  { path: "/console", component: MerchantsPage, kind: "operator", nav: "Merchants" },
  { path: "/console/merchants/:merchantId", component: MerchantPage, kind: "operator" },
  { path: "/console/payments", component: PaymentsPage, kind: "operator", nav: "Payments" },
  { path: "/console/health", component: ChannelHealthPage, kind: "operator", nav: "Channel health" },
  { path: "/console/dead-letters", component: DeadLettersPage, kind: "operator", nav: "Dead letters" },
  { path: "/console/risk", component: RiskRulesPage, kind: "operator", nav: "Risk rules" },
  { path: "/console/audit-log", component: AuditLogPage, kind: "operator", nav: "Audit log" },
];
