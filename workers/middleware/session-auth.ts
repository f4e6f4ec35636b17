// A person's browser: the dashboard's session cookie, checked on every request. The token must
// verify and be unexpired, and its session record must be neither signed out nor past its whole
// life. A token past ROTATE_AFTER_SECONDS is re-signed in the answer (rotation), and every change
// must carry the session's CSRF token in X-CSRF-Token.
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { loadSession, type LiveSession, type Person } from "../../shared/access/people-store";
import {
  ROTATE_AFTER_SECONDS,
  SESSION_MAX_AGE_MS,
  signSessionToken,
  verifySessionToken,
  type SessionClaims,
} from "../../shared/access/session-token";
import { secretsEqual } from "../../shared/crypto";
import { forbidden, unauthenticated } from "../../shared/errors";
import type { Actor, AppEnv } from "../app-env";

export const SESSION_COOKIE = "session";
const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/** `__Host-session`: HttpOnly, Secure, SameSite=Strict, the whole host and no other. */
export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    prefix: "host",
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: "/",
    maxAge: SESSION_MAX_AGE_MS / 1000,
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  setCookie(c, SESSION_COOKIE, "", { prefix: "host", httpOnly: true, secure: true, sameSite: "Strict", path: "/", maxAge: 0 });
}

/** Whether the request carries a session cookie at all (then it is judged as a session). */
export const hasSessionCookie = (c: Context<AppEnv>) => getCookie(c, SESSION_COOKIE, "host") !== undefined;

/** The signing key, or 401: without it no session can exist. */
export function sessionKey(c: Context<AppEnv>): string {
  const key = c.env.SESSION_SIGNING_KEY;
  if (!key) throw unauthenticated("sessions_disabled", "Dashboard sign-in is not configured (SESSION_SIGNING_KEY is unset).");
  return key;
}

/** Who a signed-in person is, for the audit log. */
export const actorOf = (person: Person): Actor => ({
  type: person.kind === "operator" ? "operator" : "user",
  id: person.id,
  email: person.email,
  role: person.role,
  merchantId: person.merchantId,
});

export interface CheckedSession extends LiveSession {
  claims: SessionClaims;
}

export async function authenticateSession(c: Context<AppEnv>): Promise<CheckedSession> {
  const token = getCookie(c, SESSION_COOKIE, "host");
  if (!token) throw unauthenticated("session_missing", "Not signed in: sign in to the dashboard first.");
  const key = sessionKey(c);
  const now = Date.now();
  const check = await verifySessionToken(key, token, now);
  if (!check.ok) {
    throw check.reason === "expired"
      ? unauthenticated("session_expired", "Your session has expired: sign in again.")
      : unauthenticated("session_invalid", "The session cookie is not valid: sign in again.");
  }
  const live = await loadSession(c.env.DB, check.claims.sid);
  if (!live || live.person.id !== check.claims.sub) {
    throw unauthenticated("session_invalid", "The session cookie is not valid: sign in again.");
  }
  if (live.session.revokedAt !== null) throw unauthenticated("session_revoked", "This session was signed out: sign in again.");
  if (live.session.expiresAt <= now) throw unauthenticated("session_expired", "Your session has expired: sign in again.");
  if (!READS.has(c.req.method)) {
    const sent = c.req.header("X-CSRF-Token");
    if (!sent || !(await secretsEqual(sent, check.claims.csrf))) {
      throw forbidden("csrf_token_invalid", "A change made with a session must carry the session's CSRF token in X-CSRF-Token.");
    }
  }
  if (now / 1000 - check.claims.iat >= ROTATE_AFTER_SECONDS) {
    setSessionCookie(c, await signSessionToken(key, check.claims, now));
  }
  c.set("actor", actorOf(live.person));
  return { ...live, claims: check.claims };
}
