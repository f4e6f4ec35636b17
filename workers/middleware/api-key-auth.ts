// `Authorization: Bearer sk_test_…|sk_live_…` on every merchant route. The key decides the
// merchant and the mode (test or live) that every query of the request is scoped to.
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { forbidden, unauthenticated } from "../../shared/errors";
import { parseApiKey } from "../../shared/merchants/api-keys";
import { findKeyBySecret, touchApiKey } from "../../shared/merchants/merchant-store";
import type { AppEnv, AuthContext } from "../app-env";

/** The presented bearer token, or an ApiError naming what is wrong with the header. */
export function bearerToken(header: string | undefined): string {
  if (!header) {
    throw unauthenticated(
      "api_key_missing",
      "No API key provided. Send it as 'Authorization: Bearer sk_test_…'.",
    );
  }
  const match = /^Bearer +(\S+)\s*$/i.exec(header);
  if (!match) {
    throw unauthenticated("authorization_malformed", "The Authorization header must be 'Bearer <API key>'.");
  }
  return match[1]!;
}

/** A merchant's own code: the key decides the merchant and the mode. */
export async function authenticateKey(c: Context<AppEnv>): Promise<AuthContext> {
  const secret = bearerToken(c.req.header("Authorization"));
  if (!parseApiKey(secret)) {
    throw unauthenticated("api_key_malformed", "The API key is not of the form sk_test_… or sk_live_….");
  }
  const db = drizzle(c.env.DB);
  const now = Date.now();
  const found = await findKeyBySecret(db, secret, now);
  if (!found) throw unauthenticated("api_key_invalid", "Invalid API key provided.");
  if (found.key.revokedAt !== null) {
    throw unauthenticated("api_key_revoked", "This API key has been revoked.");
  }
  if (found.merchant.status !== "active") {
    throw forbidden("merchant_suspended", "This merchant account is suspended.");
  }
  c.executionCtx.waitUntil(touchApiKey(db, found, now));
  return { merchant: found.merchant, keyId: found.key.id, livemode: found.key.livemode };
}
