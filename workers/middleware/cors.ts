// Browsers may call the merchant API from other origins. A preflight carries no key, so it is
// answered for any origin; the request itself is judged by its key: a test key from any origin
// (test mode moves no money, and local dashboards need it), a live key only from CORS_ORIGINS.
import type { Context } from "hono";
import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import { forbidden } from "../../shared/errors";
import type { AppEnv } from "../app-env";

/** The merchant API's CORS headers: the caller's origin is reflected; `originAllowed` gates live keys. */
export const apiCors = cors({
  origin: (origin) => origin || null,
  allowMethods: ["GET", "POST", "PUT", "DELETE"],
  allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"],
  exposeHeaders: ["X-Request-Id", "Idempotent-Replayed", "Original-Request", "Retry-After"],
  maxAge: 600,
});

/** For public documents any tool may load (the OpenAPI document). */
export const publicCors = cors({ origin: "*", allowMethods: ["GET"] });

/** CORS_ORIGINS is comma-separated; the Worker's own origin (its /docs page) is always allowed. */
function isAllowedOrigin(c: Context<AppEnv>, origin: string): boolean {
  if (origin === new URL(c.req.url).origin) return true;
  return c.env.CORS_ORIGINS.split(",").some((allowed) => allowed.trim() === origin);
}

/** Runs after merchantAuth: refuses a live key sent from an origin not configured, before any handler. */
export const originAllowed = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header("Origin");
  if (origin && c.get("auth").livemode && !isAllowedOrigin(c, origin)) {
    throw forbidden(
      "origin_not_allowed",
      `Requests from origin '${origin}' may not use a live key: live keys accept only the origins configured in CORS_ORIGINS.`,
    );
  }
  await next();
});
