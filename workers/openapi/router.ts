import { OpenAPIHono, type RouteConfig, type RouteHandler, type z } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { validationError } from "./validation";

export type ValidationResult = { success: true } | { success: false; error: z.ZodError; target: string };

/** A validation failure as the platform's error (a 400 naming the field). */
export function inputError(result: Extract<ValidationResult, { success: false }>) {
  // @hono/zod-validator hands the hook the input it validated as `data`, even on failure.
  const { data } = result as typeof result & { data: unknown };
  return validationError(result.error, result.target, data);
}

const rejectInvalid = (result: ValidationResult) => {
  if (!result.success) throw inputError(result);
};

/** A feature router whose validation failures become the platform's error shape. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    // `/api/v1/payments/` is `/api/v1/payments`: a trailing slash is not a different resource.
    strict: false,
    defaultHook: rejectInvalid,
  });
}

export type AppRouter = ReturnType<typeof createRouter>;

/** The handler type for a route declared with createRoute. */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;
