import { createRoute } from "@hono/zod-openapi";
import { errorResponses, jsonBody, jsonContent } from "../../openapi/route-helpers";
import { ErrorSchema } from "../../openapi/schemas";
import { SessionSchema, SignInSchema } from "./session.schemas";

const tags = ["Dashboard sessions"];
const sessionSecurity = [{ sessionCookie: [] }];

export const signIn = createRoute({
  method: "post",
  path: "/api/v1/session",
  tags,
  summary: "Sign in to the dashboard with email and password",
  description:
    "Sets the `__Host-session` cookie (HttpOnly, Secure, SameSite=Strict): a token that lives 15 " +
    "minutes, re-signed as it is used, within a session of at most 12 hours. After 5 failed " +
    "sign-ins of an email (or 20 from an IP) in a 15-minute window, sign-in is refused until the " +
    "window ends.",
  security: [],
  request: jsonBody(SignInSchema),
  responses: {
    201: jsonContent(SessionSchema, "Signed in; the answer carries the CSRF token."),
    400: errorResponses[400],
    401: jsonContent(ErrorSchema, "sign_in_failed: wrong email or password."),
    429: jsonContent(ErrorSchema, "sign_in_rate_limited: too many failed sign-ins; see Retry-After."),
  },
});

export const getSession = createRoute({
  method: "get",
  path: "/api/v1/session",
  tags,
  summary: "The signed-in person, and the session's CSRF token",
  security: sessionSecurity,
  responses: {
    200: jsonContent(SessionSchema, "The session."),
    401: jsonContent(ErrorSchema, "session_missing, session_expired, session_revoked or session_invalid."),
  },
});

export const signOut = createRoute({
  method: "delete",
  path: "/api/v1/session",
  tags,
  summary: "Sign out: the session ends for good, its cookie with it",
  security: sessionSecurity,
  responses: {
    204: { description: "Signed out." },
    401: jsonContent(ErrorSchema, "Not signed in."),
    403: jsonContent(ErrorSchema, "csrf_token_invalid."),
  },
});
