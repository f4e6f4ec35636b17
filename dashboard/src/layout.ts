// The frame of every signed-in page: the account and the person, the test/live switch (a banner
// while in test mode), sign-out, the navigation (behind a Menu button at phone width), and the page,
// remounted when the mode switches so that nothing of the other mode stays on screen.
import type { ComponentChildren } from "preact";
import { html } from "htm/preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { ErrorBanner } from "./components/error-banner";
import { BASE, homePath } from "./paths";
import { hrefOf, pagesFor } from "./routes";
import { useSession } from "./session";

/**
 * The nav entry the reader is in: its page or one below it (a payment under Payments), the longest
 * when several are (the console's first entry, /console, holds every console page).
 */
const currentOf = (hrefs: string[], path: string) =>
  hrefs
    .filter((href) => path === href || (href !== BASE && path.startsWith(`${href}/`)))
    .reduce<string | undefined>((found, href) => (found && found.length >= href.length ? found : href), undefined);

export function Layout({ children }: { children: ComponentChildren }) {
  const { user, livemode, setLivemode, signOut } = useSession();
  const { path } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const main = useRef<HTMLElement>(null);
  const firstPath = useRef(path);

  useEffect(() => {
    setMenuOpen(false);
    // after a navigation, a screen reader or keyboard starts at the new page, not the old link
    if (path !== firstPath.current) main.current?.focus();
  }, [path]);

  const entries = pagesFor(user).filter((page) => page.nav);
  const current = currentOf(entries.map(hrefOf), path);

  return html`<a class="skip-link" href="#main">Skip to content</a>
    <header class="topbar">
      <button type="button" class="menu-button" aria-expanded=${menuOpen} aria-controls="nav" onClick=${() => setMenuOpen(!menuOpen)}>
        Menu
      </button>
      <a class="brand" href=${homePath(user)}>${user.merchant_name ?? "Operator console"}</a>
      <div class="topbar-end">
        <label class="mode-switch">
          <input
            type="checkbox"
            role="switch"
            checked=${livemode}
            onChange=${(event: Event) => setLivemode((event.currentTarget as HTMLInputElement).checked)}
          />
          Live mode
        </label>
        <span class="user-email">${user.email}</span>
        <button type="button" onClick=${() => signOut().catch(setError)}>Sign out</button>
      </div>
    </header>
    ${!livemode &&
    html`<p class="test-banner" role="status"><strong>Test mode</strong>: you are seeing test data. Turn on Live mode to see live data.</p>`}
    <${ErrorBanner} error=${error} />
    <div class="frame">
      <nav id="nav" class=${menuOpen ? "nav nav-open" : "nav"} aria-label="Main">
        <ul>
          ${entries.map(
            (page) => html`<li key=${page.path}>
              <a href=${hrefOf(page)} aria-current=${hrefOf(page) === current ? "page" : undefined}>${page.nav}</a>
            </li>`,
          )}
        </ul>
      </nav>
      <main id="main" ref=${main} tabindex="-1" key=${String(livemode)}>${children}</main>
    </div>`;
}
