// What the developer pages (events, webhooks, channels, team) share: their stylesheet, the line
// that says what a change did, and telling "there is none yet" (404) from a failure.
import "./developers.css";
import { html } from "htm/preact";
import { ApiFailure } from "../../api";

/** What the last change did, in words; nothing before the first. */
export function Done({ text }: { text: string }) {
  return text ? html`<div class="banner banner-done" role="status"><p>${text}</p></div>` : null;
}

/** A GET answered 404: the thing is not set up yet, which a page shows as such, not as an error. */
export const isMissing = (error: unknown) => error instanceof ApiFailure && error.status === 404;
