// Moments as the API gives them (ISO-8601, UTC), shown in the reader's time zone and language.
import { html } from "htm/preact";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export const formatTime = (iso: string) => dateTime.format(new Date(iso));

/** A <time> in local words; the exact UTC instant on hover. `fallback` stands in for null. */
export function Time({ value, fallback = "—" }: { value: string | null; fallback?: string }) {
  if (value === null) return html`<span>${fallback}</span>`;
  return html`<time datetime=${value} title=${value}>${formatTime(value)}</time>`;
}
