// Request bodies are JSON and at most 1 MB: anything else is refused before any handler runs.
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { ApiError, invalidRequest } from "../../shared/errors";
import type { AppEnv } from "../app-env";
import { paramPath } from "../openapi/validation";

export const MAX_BODY_BYTES = 1024 * 1024;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;
/** JSON's own whitespace: a body of only this is no parameters at all. */
const BLANK = /^[ \t\n\r]*$/;

const hasBody = (req: Request) =>
  req.headers.get("transfer-encoding") !== null || Number(req.headers.get("content-length") ?? 0) > 0;

/** The one answer to a body (or a Content-Type) that is not JSON, whoever notices it. */
export const unsupportedMediaType = () =>
  new ApiError(
    415,
    "invalid_request_error",
    "unsupported_media_type",
    "Request bodies must be JSON, sent with 'Content-Type: application/json'.",
  );

export const requireJsonBody = createMiddleware<AppEnv>(async (c, next) => {
  if (hasBody(c.req.raw) && !JSON_TYPE.test(c.req.header("Content-Type") ?? "")) throw unsupportedMediaType();
  await next();
});

/**
 * Parses a JSON body once, before any validator reads it. A blank body is `{}` (many SDKs send
 * the header on every request), and text no column can store (NUL, lone surrogates) is refused
 * here for every route rather than in each schema.
 */
export const parseJsonBody = createMiddleware<AppEnv>(async (c, next) => {
  if (!JSON_TYPE.test(c.req.header("Content-Type") ?? "")) return next();
  let text = await c.req.text();
  if (BLANK.test(text)) {
    text = "{}";
    // The validators and the idempotency fingerprint read this cache. Hono stores (and awaits)
    // promises in it, though its type names the resolved values.
    c.req.bodyCache.text = Promise.resolve(text) as unknown as string;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalidRequest("invalid_json", "The request body is not valid JSON.");
  }
  rejectUnstorableText(body);
  c.set("jsonBody", body);
  await next();
});

/** Why a string cannot be stored, or null if it can. */
function unstorable(text: string): string | null {
  if (text.includes("\u0000")) return "contains a NUL character (\\u0000)";
  if (!text.isWellFormed()) return "contains a lone UTF-16 surrogate (not valid Unicode)";
  return null;
}

/** A position in the body, linked to its parent: a path is only spelled out for an error. */
interface Position {
  up: Position | null;
  key: string | number;
}

function pathOf(at: Position | null): (string | number)[] {
  const path: (string | number)[] = [];
  for (let p = at; p; p = p.up) path.push(p.key);
  return path.reverse();
}

/** Checks every key and string in document order, without recursion (bodies may nest deeply). */
function rejectUnstorableText(body: unknown): void {
  const pending: { value: unknown; at: Position | null }[] = [{ value: body, at: null }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, at } = next;
    const keyProblem = typeof at?.key === "string" ? unstorable(at.key) : null;
    if (keyProblem) throw unstorableError(at, `the parameter name ${keyProblem}`);
    if (typeof value === "string") {
      const problem = unstorable(value);
      if (problem) throw unstorableError(at, problem);
    } else if (value !== null && typeof value === "object") {
      const entries = Array.isArray(value) ? [...value.entries()] : Object.entries(value);
      for (const [key, item] of entries.reverse()) pending.push({ value: item, at: { up: at, key } });
    }
  }
}

function unstorableError(at: Position | null, problem: string) {
  const param = paramPath(pathOf(at));
  return invalidRequest(
    "parameter_invalid",
    `Invalid ${param || "body"}: ${problem}, which cannot be stored.`,
    param || undefined,
  );
}

export const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new ApiError(
      413,
      "invalid_request_error",
      "body_too_large",
      `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`,
    );
  },
});
