import { OpenAPIHono, type RouteConfig, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { validationError } from "./validation";

/** A feature router whose validation failures become the platform's error shape. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    // `/api/v1/payments/` is `/api/v1/payments`: a trailing slash is not a different resource.
    strict: false,
    // @hono/zod-validator hands the hook the input it validated as `data`, even on failure.
    defaultHook: (result) => {
      if (!result.success) {
        const { data } = result as typeof result & { data: unknown };
        throw validationError(result.error, result.target, data);
      }
    },
  });
}

export type AppRouter = ReturnType<typeof createRouter>;

/** The handler type for a route declared with createRoute. */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;
