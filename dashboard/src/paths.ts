// Where the dashboard lives: every page is under BASE, the Worker answers them all with the shell.
import type { User } from "./session";

export const BASE = "/dashboard";
export const SIGN_IN_PATH = `${BASE}/sign-in`;

/** Where a person lands after signing in: merchants' overview, or the operators' console. */
export const homePath = (user: User) => (user.kind === "operator" ? `${BASE}/console` : BASE);

/** The sign-in page, told why the session ended (session_expired, session_revoked…) when it did. */
export const signInAfter = (code?: string) => (code ? `${SIGN_IN_PATH}?ended=${encodeURIComponent(code)}` : SIGN_IN_PATH);

/** What the sign-in page says of a session that ended, by the API's code. */
export const ENDED: Record<string, string> = {
  session_expired: "Your session has expired: sign in again.",
  session_revoked: "You were signed out: sign in again.",
  session_invalid: "Your session is no longer valid: sign in again.",
};
