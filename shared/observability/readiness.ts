// Readiness (GET /readyz): whether this Worker can do its work, not just answer (/healthz). D1
// answers, its schema is the one this code was written for, and every queue it sends to is bound.

/**
 * The newest file in d1-migrations/: the Worker cannot read the folder, so it is named here
 * (test/node/newest-migration.test.ts fails when a newer file exists).
 */
export const NEWEST_MIGRATION = "0028_emails.sql";

/** The queue producers the Worker sends to (wrangler.toml [[queues.producers]]). */
export const QUEUE_PRODUCERS = ["CHANNEL_EVENTS", "CHANNEL_CALLS", "NOTIFICATIONS"] as const satisfies ReadonlyArray<keyof Env>;

export interface ReadinessCheck {
  name: "d1" | "migrations" | "queues";
  ok: boolean;
  detail: string;
}

const failureOf = (error: unknown) => (error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error));

async function d1Check(db: D1Database): Promise<ReadinessCheck> {
  try {
    await db.prepare("SELECT 1").first();
    return { name: "d1", ok: true, detail: "D1 answered." };
  } catch (error) {
    return { name: "d1", ok: false, detail: `D1 did not answer: ${failureOf(error)}` };
  }
}

async function migrationsCheck(db: D1Database): Promise<ReadinessCheck> {
  try {
    const newest = await db.prepare("SELECT max(name) AS name FROM d1_migrations").first<string | null>("name");
    return newest === NEWEST_MIGRATION
      ? { name: "migrations", ok: true, detail: `Applied through ${NEWEST_MIGRATION}.` }
      : { name: "migrations", ok: false, detail: `Newest applied is ${newest ?? "none"}; this code needs ${NEWEST_MIGRATION}.` };
  } catch (error) {
    return { name: "migrations", ok: false, detail: `d1_migrations could not be read: ${failureOf(error)}` };
  }
}

function queuesCheck(env: Env): ReadinessCheck {
  const missing = QUEUE_PRODUCERS.filter((binding) => typeof (env[binding] as Partial<Queue> | undefined)?.send !== "function");
  return missing.length === 0
    ? { name: "queues", ok: true, detail: `Bound: ${QUEUE_PRODUCERS.join(", ")}.` }
    : { name: "queues", ok: false, detail: `Not bound: ${missing.join(", ")}.` };
}

export async function readinessChecks(env: Env): Promise<ReadinessCheck[]> {
  const [d1, migrations] = await Promise.all([d1Check(env.DB), migrationsCheck(env.DB)]);
  return [d1, migrations, queuesCheck(env)];
}
