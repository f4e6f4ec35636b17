// What the last change did, said plainly; nothing before the first (ErrorBanner says a failure).
import { html } from "htm/preact";

export function DoneBanner({ text }: { text: string }) {
  return text ? html`<div class="banner banner-done" role="status"><p>${text}</p></div>` : null;
}
