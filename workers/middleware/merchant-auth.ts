// Every merchant route: a merchant's code with its API key, or a person signed in to the
// dashboard with the session cookie. Both end in the same AuthContext, so the dashboard reads and
// changes through the very handlers the merchant's code calls.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { forbidden, invalidRequest } from "../../shared/errors";
import { annotate } from "../../shared/observability/log-context";
import type { AppEnv, AuthContext } from "../app-env";
import { authenticateKey } from "./api-key-auth";
import { checkRole } from "./role-check";
import { authenticateSession, hasSessionCookie } from "./session-auth";

/** A session's mode: `X-Livemode: true` for live data, test data otherwise. */
function livemodeOf(c: Context<AppEnv>): boolean {
  const header = c.req.header("X-Livemode");
  if (header === undefined || header === "false") return false;
  if (header === "true") return true;
  throw invalidRequest("parameter_invalid", `Invalid X-Livemode header '${header}': must be true or false.`, "X-Livemode");
}

async function authenticateMerchantUser(c: Context<AppEnv>): Promise<AuthContext> {
  const { person, merchant } = await authenticateSession(c);
  if (person.kind !== "merchant" || !merchant) {
    throw forbidden("operator_session", "Operators act on merchants through /api/v1/admin, not the merchant API.");
  }
  if (merchant.status !== "active") throw forbidden("merchant_suspended", "This merchant account is suspended.");
  checkRole(c, person);
  return { merchant, keyId: null, livemode: livemodeOf(c) };
}

export const merchantAuth = createMiddleware<AppEnv>(async (c, next) => {
  const useSession = c.req.header("Authorization") === undefined && hasSessionCookie(c);
  const auth = useSession ? await authenticateMerchantUser(c) : await authenticateKey(c);
  c.set("auth", auth);
  annotate({ merchantId: auth.merchant.id });
  await next();
});
