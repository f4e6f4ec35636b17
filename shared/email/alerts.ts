// Operator alerts, in English: a merchant's channel circuit opened, dead letters growing. Pure,
// like the receipts.
import { renderEmail, type EmailContent } from "./layout";
import { formatDate } from "./receipts";

export type AlertFacts =
  | { type: "alert.circuit_opened"; merchantId: string; livemode: boolean; channel: string; openedAt: number }
  | { type: "alert.dead_letters"; count: number; previous: number; at: number };

export type AlertKind = AlertFacts["type"];

export function renderAlert(alert: AlertFacts): EmailContent {
  if (alert.type === "alert.circuit_opened") {
    const mode = alert.livemode ? "live" : "test";
    return renderEmail({
      lang: "en",
      subject: `Circuit opened: ${alert.channel} for ${alert.merchantId} (${mode})`,
      intro: `Payments of merchant ${alert.merchantId} in ${mode} mode no longer go to ${alert.channel}: its circuit opened after consecutive outages.`,
      facts: [
        ["Merchant", alert.merchantId],
        ["Mode", mode],
        ["Channel", alert.channel],
        ["Opened", formatDate(alert.openedAt, "en")],
      ],
      closing: "GET /api/v1/admin/merchants/<merchant>/routing/health shows the circuit as it is now.",
    });
  }
  return renderEmail({
    lang: "en",
    subject: `Dead letters growing: ${alert.count} waiting`,
    intro: `${alert.count} queue messages wait in dead_letters, unreplayed (${alert.previous} at the last alert).`,
    facts: [
      ["Waiting", String(alert.count)],
      ["At the last alert", String(alert.previous)],
      ["Counted", formatDate(alert.at, "en")],
    ],
    closing: "GET /api/v1/admin/dead-letters lists them; POST /api/v1/admin/dead-letters/<id>/replay sends one again.",
  });
}
