// The head of every risk page: its title and the links between rules, lists and the review queue,
// the one shown marked as current.
import { html } from "htm/preact";
import { useLocation } from "preact-iso";
import { BASE } from "../../paths";

const TABS = [
  { href: `${BASE}/risk`, label: "Rules" },
  { href: `${BASE}/risk/lists`, label: "Lists" },
  { href: `${BASE}/risk/reviews`, label: "Review queue" },
];

export function RiskTabs() {
  const { path } = useLocation();
  return html`<header class="page-header"><h1>Risk</h1></header>
    <nav class="controls-tabs" aria-label="Risk">
      <ul>
        ${TABS.map(
          (tab) => html`<li key=${tab.href}><a href=${tab.href} aria-current=${path === tab.href ? "page" : undefined}>${tab.label}</a></li>`,
        )}
      </ul>
    </nav>`;
}
