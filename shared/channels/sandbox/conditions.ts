// A merchant's sandbox condition: the sandbox fails its new payments on purpose, so failover and
// circuit breaking can be watched on a laptop. Every shard keeps a copy, so a create reads it in
// the shard it already calls: setting one costs SHARDS writes, a payment nothing more.
import { SHARDS, sandboxShard, shardFor } from "./adapter";
import type { SandboxCondition } from "./wire";

/**
 * Writes the condition to every shard. If one write fails the caller gets the error and the same
 * request, sent again, completes it (the newest setting wins in each shard).
 */
export async function setSandboxCondition(env: Env, merchantId: string, condition: SandboxCondition): Promise<void> {
  await Promise.all(Array.from({ length: SHARDS }, (_, i) => sandboxShard(env, String(i)).setCondition(merchantId, condition)));
}

/** The merchant's condition, as one shard holds it; null when it never set one. */
export const sandboxCondition = (env: Env, merchantId: string): Promise<SandboxCondition | null> =>
  sandboxShard(env, shardFor(merchantId)).condition(merchantId);
