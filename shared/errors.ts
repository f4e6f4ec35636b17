// One error shape for every failure: {"error":{"type","code","message","param"?,"request_id"}}.
import type { ContentfulStatusCode } from "hono/utils/http-status";

export type ErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "idempotency_error"
  | "channel_error"
  | "api_error";

export class ApiError extends Error {
  /** More of the error, as Stripe's carry the object concerned (`payment`: the payment as it now is). */
  details: Record<string, unknown> = {};

  constructor(
    readonly status: ContentfulStatusCode,
    readonly type: ErrorType,
    readonly code: string,
    message: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }

  with(details: Record<string, unknown>): this {
    this.details = { ...this.details, ...details };
    return this;
  }

  toBody(requestId: string) {
    return {
      error: {
        type: this.type,
        code: this.code,
        message: this.message,
        ...(this.param === undefined ? {} : { param: this.param }),
        ...this.details,
        request_id: requestId,
      },
    };
  }
}

export const invalidRequest = (code: string, message: string, param?: string) =>
  new ApiError(400, "invalid_request_error", code, message, param);

export const notFound = (resource: string, id: string) =>
  new ApiError(404, "invalid_request_error", "resource_missing", `No such ${resource}: '${id}'.`);

export const conflict = (code: string, message: string, param?: string) =>
  new ApiError(409, "invalid_request_error", code, message, param);

export const unauthenticated = (code: string, message: string) =>
  new ApiError(401, "authentication_error", code, message);

export const forbidden = (code: string, message: string, param?: string) =>
  new ApiError(403, "permission_error", code, message, param);
