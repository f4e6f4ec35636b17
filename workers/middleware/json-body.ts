// Request bodies are JSON and at most 1 MB: anything else is refused before any handler runs.
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { ApiError } from "../../shared/errors";
import type { AppEnv } from "../app-env";

export const MAX_BODY_BYTES = 1024 * 1024;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;

const hasBody = (req: Request) =>
  req.headers.get("transfer-encoding") !== null || Number(req.headers.get("content-length") ?? 0) > 0;

export const requireJsonBody = createMiddleware<AppEnv>(async (c, next) => {
  if (hasBody(c.req.raw) && !JSON_TYPE.test(c.req.header("Content-Type") ?? "")) {
    throw new ApiError(
      415,
      "invalid_request_error",
      "unsupported_media_type",
      "Request bodies must be JSON, sent with 'Content-Type: application/json'.",
    );
  }
  await next();
});

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
