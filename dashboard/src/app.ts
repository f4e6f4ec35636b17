// The dashboard: the session first; signed out, the sign-in form; signed in, the pages of the
// person's kind and role (routes.ts) in the layout.
import { html } from "htm/preact";
import { LocationProvider, Route, Router } from "preact-iso";
import { Layout } from "./layout";
import { NotFound } from "./pages/not-found";
import { SignIn } from "./pages/sign-in";
import { BASE } from "./paths";
import { hrefOf, pagesFor } from "./routes";
import { SessionContext, useSessionState } from "./session";

export function App() {
  const { session, start } = useSessionState();
  if (session === undefined) return html`<p class="loading" role="status">Loading…</p>`;
  // scope: links out of /dashboard (the API reference at /docs) load as ordinary pages
  return html`<${LocationProvider} scope=${BASE}>
    ${session === null
      ? html`<${SignIn} onSignedIn=${start} />`
      : html`<${SessionContext.Provider} value=${session}>
          <${Layout}>
            <${Router}>
              ${pagesFor(session.user).map((page) => html`<${Route} path=${hrefOf(page)} component=${page.component} />`)}
              <${Route} default component=${NotFound} />
            </${Router}>
          </${Layout}>
        </${SessionContext.Provider}>`}
  </${LocationProvider}>`;
}
