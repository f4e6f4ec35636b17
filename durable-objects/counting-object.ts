// What the objects that count (routing health, risk velocity) share: metered SQLite, outcomes
// counted once however often an outbox redelivers them, and old windows pruned once a minute.
import { DurableObject } from "cloudflare:workers";
import { meterStorage, metered } from "../shared/metering";

const MINUTE = 60_000;
/** Ids remembered for spotting redeliveries: far more than arrive between a drain and its retry. */
const MAX_HEARD = 10_000;

export abstract class CountingObject extends DurableObject<Env> {
  /**
   * The ids counted lately. An outbox redelivers what a drain sent before it crashed, soon after,
   * to the same object: remembering ids in memory drops those repeats without a stored row each
   * (two writes, counting their pruning). A repeat that finds the object restarted in between is
   * counted twice: one sample more in a window of figures.
   */
  private readonly heard = new Set<string>();
  /** The minute old rows were last pruned in, by this instance. */
  private prunedAt = 0;

  constructor(ctx: DurableObjectState, env: Env, name: string, schema: string) {
    super(ctx, metered(env));
    meterStorage(ctx.storage, env, name);
    ctx.storage.sql.exec(schema);
  }

  /**
   * Counts the items not counted yet (each once, though a batch may repeat one) in one
   * transaction, which `prune` ends at most once a minute of `now`: rows leave the windows a
   * minute at a time.
   */
  protected countOnce<T extends { id: string }>(items: readonly T[], now: number, count: (fresh: T[]) => void, prune: (minute: number) => void): void {
    const fresh = [...new Map(items.filter((item) => !this.heard.has(item.id)).map((item) => [item.id, item])).values()];
    this.ctx.storage.transactionSync(() => {
      count(fresh);
      const minute = Math.floor(now / MINUTE) * MINUTE;
      if (minute !== this.prunedAt) {
        prune(minute);
        this.prunedAt = minute;
      }
    });
    for (const item of fresh) this.heard.add(item.id);
    // a Set iterates in insertion order: oldest first
    for (const id of this.heard) {
      if (this.heard.size <= MAX_HEARD) break;
      this.heard.delete(id);
    }
  }
}
