// What each dashboard role may change, as data. Every role reads everything its kind can reach;
// changes (any method but GET/HEAD) are allowed by this table only.
import type { OperatorRole, UserRole } from "./people-store";

type Role = UserRole | OperatorRole;

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

export function roleMay(role: Role, method: string, path: string): boolean {
  if (READS.has(method.toUpperCase())) return true;
  const allowed = CHANGES[role];
  return allowed === "all" || allowed.some((pattern) => pattern.test(path));
}
