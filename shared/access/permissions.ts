// What each dashboard role may change, as data. Every role reads everything its kind can reach
// but secrets; changes (any method but GET/HEAD; dry runs are reads) and reads of a secret are
// allowed by this table only.
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

/** Reads that show a secret: only for the roles that may change it. */
const SECRET_READS = /^\/api\/v1\/merchant\/webhook-endpoint\/secret$/;

export function roleMay(role: Role, method: string, path: string): boolean {
  const verb = method.toUpperCase();
  if ((READS.has(verb) && !SECRET_READS.test(path)) || (verb === "POST" && DRY_RUNS.test(path))) return true;
  const allowed = CHANGES[role];
  return allowed === "all" || allowed.some((pattern) => pattern.test(path));
}
