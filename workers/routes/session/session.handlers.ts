import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { recordAudit } from "../../../shared/access/audit-store";
import { DECOY_HASH, verifyPassword } from "../../../shared/access/passwords";
import { findPersonByEmail, openSession, revokeSession } from "../../../shared/access/people-store";
import { signSessionToken } from "../../../shared/access/session-token";
import { recordSignInFailure, signInBlockedFor } from "../../../shared/access/sign-in-throttle";
import { randomBase62 } from "../../../shared/crypto";
import { ApiError, unauthenticated } from "../../../shared/errors";
import { findMerchant } from "../../../shared/merchants/merchant-store";
import type { AppEnv } from "../../app-env";
import { clientIp, requestFacts } from "../../middleware/audit";
import { actorOf, authenticateSession, clearSessionCookie, sessionKey, setSessionCookie } from "../../middleware/session-auth";
import type { AppRouteHandler } from "../../openapi/router";
import type * as routes from "./session.routes";
import { toSessionJson } from "./session.schemas";

/** A refused sign-in is recorded with the email tried, since no one is known yet. */
const auditRefusal = (c: Context<AppEnv>, email: string, status: number) =>
  recordAudit(c.env.DB, {
    actorType: "anonymous",
    actorId: null,
    actorEmail: email,
    merchantId: null,
    livemode: null,
    action: "POST /api/v1/session",
    status,
    ...requestFacts(c),
  });

export const signIn: AppRouteHandler<typeof routes.signIn> = async (c) => {
  const { email, password } = c.req.valid("json");
  const key = sessionKey(c);
  const now = Date.now();
  const ip = clientIp(c);
  const wait = await signInBlockedFor(c.env.DB, email, ip, now);
  if (wait > 0) {
    await auditRefusal(c, email, 429);
    c.header("Retry-After", String(Math.ceil(wait / 1000)));
    throw new ApiError(429, "authentication_error", "sign_in_rate_limited", "Too many failed sign-ins: try again later.");
  }
  const person = await findPersonByEmail(c.env.DB, email);
  // an unknown email costs one hash too, so timing does not tell which emails have accounts
  const matches = await verifyPassword(password, person?.passwordHash ?? DECOY_HASH);
  if (!person || !matches) {
    await recordSignInFailure(c.env.DB, email, ip, now);
    await auditRefusal(c, email, 401);
    throw unauthenticated("sign_in_failed", "Wrong email or password.");
  }
  const merchant = person.merchantId === null ? null : ((await findMerchant(drizzle(c.env.DB), person.merchantId)) ?? null);
  // a new session (and CSRF token) at every sign-in: nothing from before survives it
  const session = await openSession(c.env.DB, person.id, now);
  const csrf = randomBase62(32);
  setSessionCookie(c, await signSessionToken(key, { sid: session.id, sub: person.id, csrf }, now));
  c.set("actor", actorOf(person));
  return c.json(toSessionJson(person, merchant, csrf, session.expiresAt), 201);
};

export const getSession: AppRouteHandler<typeof routes.getSession> = async (c) => {
  const { person, merchant, claims, session } = await authenticateSession(c);
  return c.json(toSessionJson(person, merchant, claims.csrf, session.expiresAt), 200);
};

export const signOut: AppRouteHandler<typeof routes.signOut> = async (c) => {
  const { session } = await authenticateSession(c);
  await revokeSession(c.env.DB, session.id, Date.now());
  clearSessionCookie(c);
  return c.body(null, 204);
};
