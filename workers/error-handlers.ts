// The last word on every failure: whatever went wrong, the caller gets the one error shape.
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { ApiError } from "../shared/errors";
import type { AppEnv } from "./app-env";
import { unsupportedMediaType } from "./middleware/json-body";
import { log } from "../shared/observability/logger";

function respond(c: Context<AppEnv>, error: ApiError, headers?: Record<string, string>) {
  return c.json(error.toBody(c.get("requestId")), error.status, headers);
}

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof ApiError) return respond(c, err);
  if (err instanceof HTTPException && err.status < 500) {
    // @hono/zod-openapi refuses a Content-Type a route does not declare (even with no body):
    // the same answer as our own body check. (JSON bodies are parsed by parseJsonBody first.)
    if (err.status === 415) return respond(c, unsupportedMediaType());
    return respond(c, new ApiError(err.status as 400, "invalid_request_error", "bad_request", err.message));
  }
  const busy = transientDurableObjectError(err);
  log.error(busy ? "durable object unavailable" : "unhandled error", {
    method: c.req.method,
    path: c.req.path,
    error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    stack: err instanceof Error ? err.stack : undefined,
  });
  if (busy) {
    // Every write here is safe to repeat (numbers derived from the order, Idempotency-Key), so
    // the caller is told to come back rather than that something broke.
    return respond(
      c,
      new ApiError(503, "api_error", busy, "The platform is briefly unable to serve this request; retrying it is safe."),
      { "Retry-After": busy === "overloaded" ? "5" : "1" },
    );
  }
  return respond(
    c,
    new ApiError(500, "api_error", "internal_error", "An internal error occurred; it has been logged."),
  );
};

/**
 * The runtime marks its own failures: `.overloaded` (back off), `.retryable` (transient),
 * `.durableObjectReset` (the object broke, its storage out of memory say, and is started afresh).
 * A failure it does not explain ("internal error; reference = …", not thrown by our code, which
 * would be `.remote` from an object) is the runtime's too: an object it could not open, the most
 * common form of SQLITE_NOMEM locally (see bench/probe/). Answers the code to report, or null for
 * any other error.
 */
function transientDurableObjectError(err: unknown): "overloaded" | "temporarily_unavailable" | null {
  if (!(err instanceof Error)) return null;
  const flags = err as Error & { overloaded?: boolean; retryable?: boolean; durableObjectReset?: boolean; remote?: boolean };
  if (flags.overloaded === true) return "overloaded";
  if (flags.retryable === true || flags.durableObjectReset === true) return "temporarily_unavailable";
  if (flags.remote !== true && err.message.startsWith("internal error; reference =")) return "temporarily_unavailable";
  return null;
}

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  respond(
    c,
    new ApiError(
      404,
      "invalid_request_error",
      "route_not_found",
      `Unrecognized request URL (${c.req.method}: ${c.req.path}).`,
    ),
  );

export const onMethodNotAllowed = (c: Context<AppEnv>, methods: string[]) =>
  respond(
    c,
    new ApiError(
      405,
      "invalid_request_error",
      "method_not_allowed",
      `${c.req.method} is not allowed on ${c.req.path}; allowed: ${methods.join(", ")}.`,
    ),
    { Allow: methods.join(", ") },
  );
