// Any /dashboard path no page of the signed-in person matches.
import { html } from "htm/preact";
import { homePath } from "../paths";
import { useSession } from "../session";

export function NotFound() {
  const { user } = useSession();
  return html`<section>
    <h1>Page not found</h1>
    <p>There is no such page in your dashboard, or your role cannot open it.</p>
    <p><a href=${homePath(user)}>Go to the start page</a></p>
  </section>`;
}
