// Every call the dashboard makes: the same /api/v1 routes a merchant's code calls, authenticated by
// the session cookie instead of a key. Adds the CSRF token to every change and the mode to every
// call, and turns the platform's one error shape into a thrown ApiFailure.
import { signInAfter } from "./paths";

export const SESSION_PATH = "/api/v1/session";

/** A refused call: the fields of `{"error":{"type","code","message","param"}}`, and the status. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = "ApiFailure";
  }
}

/** The list shape of every /api/v1 list. */
export interface List<T> {
  object: "list";
  data: T[];
  has_more: boolean;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface CallOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  query?: Query;
}

// Kept in step with the session (session.ts): the token changes must carry, and the mode shown.
const state = { csrfToken: "", livemode: false };

export function configureApi(next: Partial<typeof state>): void {
  Object.assign(state, next);
}

/** `path` with the query's set values; empty strings count as unset (a cleared filter). */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export async function api<T>(path: string, { method = "GET", body, query }: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", "X-Livemode": String(state.livemode) };
  if (method !== "GET" && state.csrfToken) headers["X-CSRF-Token"] = state.csrfToken;
  // no Content-Type without a body: the API refuses one on routes that take none
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(withQuery(path, query), {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) {
    const failure = await failureOf(res);
    // The session ended (expired, signed out elsewhere): start over at the sign-in page, which
    // says why. The session endpoint's own 401s are answers (signed out, wrong password), left to
    // its caller.
    if (res.status === 401 && !path.startsWith(SESSION_PATH)) location.assign(signInAfter(failure.code));
    throw failure;
  }
  return (res.status === 204 ? undefined : await res.json()) as T;
}

async function failureOf(res: Response): Promise<ApiFailure> {
  const body = (await res.json().catch(() => null)) as {
    error?: { type: string; code: string; message: string; param?: string };
  } | null;
  const error = body?.error;
  if (!error) return new ApiFailure(res.status, "api_error", "http_error", `The platform answered ${res.status} ${res.statusText}.`);
  return new ApiFailure(res.status, error.type, error.code, error.message, error.param ?? undefined);
}
