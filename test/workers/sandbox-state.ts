// Test-side reads of the sandbox's shards: what they hold for a payment, and the work they still
// have to run (a file whose creates leave webhooks in flight waits for them before the runtime closes).
import { env, runInDurableObject } from "cloudflare:test";
import { afterAll } from "vitest";
import { SHARDS, sandboxShard } from "../../shared/channels/sandbox/adapter";
import { eventually } from "./helpers";

const everyShard = <T>(read: (state: DurableObjectState) => T) =>
  Promise.all(Array.from({ length: SHARDS }, (_, i) => runInDurableObject(sandboxShard(env, String(i)), (_, state) => read(state))));

/** Steps and webhooks the sandbox still has to run, over all its shards. */
export async function sandboxBacklog(): Promise<number> {
  const counts = await everyShard((state) =>
    state.storage.sql.exec<{ n: number }>("SELECT (SELECT count(*) FROM schedule) + (SELECT count(*) FROM deliveries) AS n").one().n,
  );
  return counts.reduce((sum, n) => sum + n, 0);
}

/** Call at a file's top level: after its tests, wait until the sandbox has delivered everything. */
export const drainSandboxAfterAll = () => afterAll(() => eventually(sandboxBacklog, (n) => n === 0, 30_000), 40_000);

/** The ids of the intents the sandbox made for a payment, over all its shards. */
export async function sandboxIntents(paymentNo: string): Promise<string[]> {
  const ids = await everyShard((state) =>
    state.storage.sql
      .exec<{ id: string; data: string }>("SELECT id, data FROM intents")
      .toArray()
      .filter((r) => (JSON.parse(r.data) as { payment_no: string }).payment_no === paymentNo)
      .map((r) => r.id),
  );
  return ids.flat();
}
