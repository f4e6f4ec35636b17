// How the risk pages say an action and whose a rule is: in words, the colour only repeating them.
import { html } from "htm/preact";
import type { RiskAction } from "./risk-types";

const ACTION_LOOK: Record<RiskAction, { label: string; className: string }> = {
  allow: { label: "Allow", className: "badge badge-ok" },
  block: { label: "Block", className: "badge controls-badge-bad" },
  review: { label: "Review", className: "badge controls-badge-warn" },
};

export function ActionBadge({ action }: { action: RiskAction }) {
  const look = ACTION_LOOK[action];
  return html`<span class=${look.className}>${look.label}</span>`;
}

export const ruleSource = (rule: { platform: boolean; builtin?: true }) =>
  rule.builtin ? "built-in" : rule.platform ? "platform" : "yours";
