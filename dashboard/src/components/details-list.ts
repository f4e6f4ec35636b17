// Facts about one thing as a description list: a label and its value per row; rows whose value is
// absent (null, undefined, false) are left out, so a page lists only what the thing has.
import type { ComponentChildren } from "preact";
import { html } from "htm/preact";

export type DetailRow = [label: string, value: ComponentChildren];

export function DetailsList({ rows, label }: { rows: DetailRow[]; label?: string }) {
  const shown = rows.filter(([, value]) => value !== null && value !== undefined && value !== false && value !== "");
  return html`<dl class="detail-list" aria-label=${label}>
    ${shown.map(([term, value]) => html`<dt>${term}</dt><dd>${value}</dd>`)}
  </dl>`;
}
