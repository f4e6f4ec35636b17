// What each dashboard role may change, as data. Every role reads everything its kind can reach;
// changes (any method but GET/HEAD; dry runs are reads) are allowed by this table only.
// the roles from the schema, not people-store, so that the dashboard can import this table too
import type { OPERATOR_ROLES, USER_ROLES } from "../db/schema";

type Role = (typeof USER_ROLES)[number] | (typeof OPERATOR_ROLES)[number];

/** The paths whose changes a role may make; "all" for every path. */
const CHANGES: Record<Role, "all" | RegExp[]> = {
  owner: "all",
  // keys and webhooks: what a developer wires up
  developer: [
    /^\/api\/v1\/merchant\/api-keys(\/|$)/,
    /^\/api\/v1\/merchant\/webhook-endpoint(\/|$)/,
    /^\/api\/v1\/events\/[^/]+\/resend$/,
  ],
  analyst: [],
  admin: "all",
  support: [],
};

const READS = new Set(["GET", "HEAD"]);
/** Dry runs are POSTs that store nothing: reading, for every role. */
const DRY_RUNS = /^\/api\/v1\/(?:admin\/merchants\/[^/]+\/)?(?:routing|risk)\/evaluate$/;

export function roleMay(role: Role, method: string, path: string): boolean {
  if (READS.has(method.toUpperCase()) || (method.toUpperCase() === "POST" && DRY_RUNS.test(path))) return true;
  const allowed = CHANGES[role];
  return allowed === "all" || allowed.some((pattern) => pattern.test(path));
}
