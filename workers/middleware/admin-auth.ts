// The admin API: automation with the operator token (`ADMIN_API_TOKEN`, a Worker secret), or an
// operator signed in to the console with the session cookie (admin: everything; support: reads).
// Without the secret configured, the token is refused to everyone.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { secretsEqual } from "../../shared/crypto";
import { forbidden, unauthenticated } from "../../shared/errors";
import type { AppEnv } from "../app-env";
import { bearerToken } from "./api-key-auth";
import { checkRole } from "./role-check";
import { authenticateSession, hasSessionCookie } from "./session-auth";

async function authenticateToken(c: Context<AppEnv>): Promise<void> {
  const token = bearerToken(c.req.header("Authorization"));
  const expected = c.env.ADMIN_API_TOKEN;
  if (!expected || !(await secretsEqual(token, expected))) {
    throw unauthenticated("admin_token_invalid", "Invalid admin token.");
  }
  c.set("actor", { type: "admin_token", id: null, email: null, role: "admin", merchantId: null });
}

async function authenticateOperator(c: Context<AppEnv>): Promise<void> {
  const { person } = await authenticateSession(c);
  if (person.kind !== "operator") throw forbidden("operator_only", "The admin API is for the platform's operators.");
  checkRole(c, person);
}

export const adminAuth = createMiddleware<AppEnv>(async (c, next) => {
  const useSession = c.req.header("Authorization") === undefined && hasSessionCookie(c);
  await (useSession ? authenticateOperator(c) : authenticateToken(c));
  await next();
});
