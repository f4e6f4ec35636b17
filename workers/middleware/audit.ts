// Records every change a person or the admin token makes (any method but GET/HEAD/OPTIONS), with
// the answer's status, once the answer is made. A merchant's API-key calls are its own code's and
// are not recorded here (they are the payments themselves, in their own records).
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import { recordAudit, type AuditInput } from "../../shared/access/audit-store";
import type { AppEnv } from "../app-env";
import { log } from "../../shared/observability/logger";

const READS = new Set(["GET", "HEAD", "OPTIONS"]);
const ADMIN_MERCHANT_PATH = /^\/api\/v1\/admin\/merchants\/([^/]+)/;

export const clientIp = (c: Context<AppEnv>) => c.req.header("CF-Connecting-IP") ?? null;

/** What the audit log says of a request whoever made it: where, from where, which request. */
export const requestFacts = (c: Context<AppEnv>) => ({
  target: c.req.path,
  ip: clientIp(c),
  requestId: c.get("requestId"),
});

export const auditChanges = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const actor = c.get("actor");
  if (!actor || READS.has(c.req.method)) return;
  const auth = c.get("auth") as AppEnv["Variables"]["auth"] | undefined;
  const entry: AuditInput = {
    actorType: actor.type,
    actorId: actor.id,
    actorEmail: actor.email,
    merchantId: auth?.merchant.id ?? actor.merchantId ?? ADMIN_MERCHANT_PATH.exec(c.req.path)?.[1] ?? null,
    livemode: auth?.livemode ?? null,
    action: `${c.req.method} ${routePath(c, -1)}`,
    status: c.res.status,
    ...requestFacts(c),
  };
  try {
    await recordAudit(c.env.DB, entry);
  } catch (error) {
    // the change stands; a lost audit line must not turn its answer into an error
    log.error("audit log: not recorded", { action: entry.action, status: entry.status, error: (error as Error).message });
  }
});
