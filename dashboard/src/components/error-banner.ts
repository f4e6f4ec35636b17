// A failed call, said plainly: the platform's own message, and the field it names.
import { html } from "htm/preact";
import { ApiFailure } from "../api";

export function ErrorBanner({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  if (!(error instanceof ApiFailure)) {
    const reason = error instanceof Error ? error.message : String(error);
    return html`<div class="banner banner-error" role="alert"><p>The request did not complete (${reason}). Try again.</p></div>`;
  }
  return html`<div class="banner banner-error" role="alert">
    <p>${error.message}</p>
    ${error.param && html`<p class="banner-detail">Field: <code>${error.param}</code></p>`}
  </div>`;
}
