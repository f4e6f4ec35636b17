// The one sign-in form, for merchants' people and operators alike: POST /api/v1/session, then the
// start page of the person's kind.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { SESSION_PATH, api } from "../api";
import { ErrorBanner } from "../components/error-banner";
import { TextField } from "../components/field";
import { ENDED, homePath } from "../paths";
import type { SessionJson } from "../session";

export function SignIn({ onSignedIn }: { onSignedIn: (session: SessionJson) => void }) {
  const { route } = useLocation();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // why the last session ended, when the dashboard sent the browser here because it did
  const ended = ENDED[new URLSearchParams(location.search).get("ended") ?? ""];

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await api<SessionJson>(SESSION_PATH, { method: "POST", body: { email, password } });
      onSignedIn(session);
      // replace: Back from the start page does not return to this form
      route(homePath(session.user), true);
    } catch (failure) {
      // 401 sign_in_failed, 429 sign_in_rate_limited: the platform's message says which
      setError(failure);
      setBusy(false);
    }
  };

  return html`<main class="sign-in" id="main">
    <form class="panel" onSubmit=${submit}>
      <h1>Sign in</h1>
      ${ended && !error ? html`<p class="notice" role="status">${ended}</p>` : null}
      <${ErrorBanner} error=${error} />
      <${TextField} label="Email" type="email" name="email" autocomplete="username" required value=${email} onValue=${setEmail} />
      <${TextField}
        label="Password"
        type="password"
        name="password"
        autocomplete="current-password"
        required
        value=${password}
        onValue=${setPassword}
      />
      <button type="submit" class="primary" disabled=${busy}>${busy ? "Signing in…" : "Sign in"}</button>
    </form>
  </main>`;
}
