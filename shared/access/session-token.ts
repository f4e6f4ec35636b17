// The dashboard's session token: a short-lived JWT (HS256, jose) naming the session record, the
// user and the session's CSRF token. It is re-signed as it is used (rotation), while the record
// bounds the session's whole life and is what sign-out ends.
import { errors, jwtVerify, SignJWT } from "jose";

/** A token lives 15 minutes: an idle browser must sign in again after that. */
export const TOKEN_TTL_SECONDS = 15 * 60;
/** A request carrying a token older than this gets a fresh one. */
export const ROTATE_AFTER_SECONDS = 5 * 60;
/** However often it is rotated, a session ends 12 hours after sign-in. */
export const SESSION_MAX_AGE_MS = 12 * 60 * 60 * 1000;

const ISSUER = "edge-payment-platform/dashboard";

export interface SessionClaims {
  /** The session record's id. */
  sid: string;
  /** The user's id. */
  sub: string;
  /** Sent back in X-CSRF-Token on every change. */
  csrf: string;
  /** Seconds since the epoch the token was signed. */
  iat: number;
}

const keyOf = (secret: string) => Uint8Array.from(atob(secret), (ch) => ch.charCodeAt(0));

export function signSessionToken(secret: string, claims: Omit<SessionClaims, "iat">, nowMs: number): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT({ sid: claims.sid, csrf: claims.csrf })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(iat + TOKEN_TTL_SECONDS)
    .sign(keyOf(secret));
}

export type TokenCheck = { ok: true; claims: SessionClaims } | { ok: false; reason: "expired" | "invalid" };

export async function verifySessionToken(secret: string, token: string, nowMs: number): Promise<TokenCheck> {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), {
      algorithms: ["HS256"],
      issuer: ISSUER,
      currentDate: new Date(nowMs),
      requiredClaims: ["sub", "iat", "exp"],
    });
    const { sid, csrf, sub, iat } = payload;
    if (typeof sid !== "string" || typeof csrf !== "string" || !sub || iat === undefined) return { ok: false, reason: "invalid" };
    return { ok: true, claims: { sid, csrf, sub, iat } };
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JWTExpired ? "expired" : "invalid" };
  }
}
