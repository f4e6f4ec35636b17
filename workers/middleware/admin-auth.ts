// The admin API is behind one operator token (`ADMIN_API_TOKEN`, a Worker secret). Without
// the secret configured, the admin API refuses everyone.
import { createMiddleware } from "hono/factory";
import { secretsEqual } from "../../shared/crypto";
import { unauthenticated } from "../../shared/errors";
import type { AppEnv } from "../app-env";
import { bearerToken } from "./api-key-auth";

export const adminAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c.req.header("Authorization"));
  const expected = c.env.ADMIN_API_TOKEN;
  if (!expected || !(await secretsEqual(token, expected))) {
    throw unauthenticated("admin_token_invalid", "Invalid admin token.");
  }
  await next();
});
