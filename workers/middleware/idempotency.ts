// `Idempotency-Key` on POST routes, with Stripe's semantics, backed by IdempotencyDO.
// Answers are kept unless they say the request itself was unusable (bad JSON, invalid
// parameters, wrong content type) or the server failed: those release the key for a retry.
// An answer that shows a secret once is not kept at all: its replays are 409, naming what was made.
import { createMiddleware } from "hono/factory";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { sha256Hex } from "../../shared/crypto";
import { ApiError, invalidRequest } from "../../shared/errors";
import type { AppEnv } from "../app-env";

const RELEASED_STATUSES = new Set([400, 413, 415]);

/** A stable JSON rendering, so the same parameters in another key order are the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

async function fingerprint(c: Context<AppEnv>): Promise<string> {
  // the body parseJsonBody already read (a body that is not JSON was refused before this)
  const parsed = c.get("jsonBody");
  let body: string;
  try {
    body = parsed === undefined ? await c.req.text() : canonicalJson(parsed);
  } catch {
    // nested too deeply to canonicalise: the raw text identifies the request just as well
    body = await c.req.text();
  }
  return sha256Hex(`${c.req.method} ${c.req.path}\n${body}`);
}

export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header("Idempotency-Key");
  if (key === undefined || c.req.method !== "POST") return next();
  if (key.length === 0 || key.length > 255) {
    throw invalidRequest(
      "idempotency_key_invalid",
      "Idempotency-Key must be between 1 and 255 characters.",
      "Idempotency-Key",
    );
  }
  const { merchant, livemode } = c.get("auth");
  const ns = c.env.IDEMPOTENCY;
  const stub = ns.get(ns.idFromName(`${merchant.id}:${livemode ? "live" : "test"}:${key}`));
  const print = await fingerprint(c);
  const begun = await stub.begin(print);
  if (begun.kind === "mismatch") {
    throw new ApiError(
      400,
      "idempotency_error",
      "idempotency_key_reused",
      "This Idempotency-Key was already used with different parameters; use a new key for a new request.",
      "Idempotency-Key",
    );
  }
  if (begun.kind === "in_progress") {
    throw new ApiError(
      409,
      "idempotency_error",
      "idempotency_request_in_progress",
      "A request with this Idempotency-Key is still in progress; retry shortly.",
    );
  }
  if (begun.kind === "replay") {
    const { status, body, requestId, withheld } = begun.response;
    c.header("Idempotent-Replayed", "true");
    c.header("Original-Request", requestId);
    if (withheld !== undefined) {
      throw new ApiError(409, "idempotency_error", "idempotency_secret_not_replayable", withheld);
    }
    return c.body(body, status as ContentfulStatusCode, { "Content-Type": "application/json" });
  }

  await next();
  if (c.res.status >= 500 || RELEASED_STATUSES.has(c.res.status)) {
    await stub.release(print);
    return;
  }
  const withheld = c.get("withheldOnReplay");
  await stub.complete(print, {
    status: c.res.status,
    body: withheld === undefined ? await c.res.clone().text() : "",
    requestId: c.get("requestId"),
    ...(withheld === undefined ? {} : { withheld }),
  });
});
