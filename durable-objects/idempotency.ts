// One object per (merchant, mode, Idempotency-Key): the key's single point of truth, so that
// concurrent requests with one key do the work once and all receive the same answer.
// Semantics follow Stripe: same key + same request -> the first answer again; same key +
// different request -> error; keys expire after 24 hours.
import { DurableObject } from "cloudflare:workers";
import { meterAlarm } from "../shared/metering";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A request holding the key for longer than this is presumed dead; the next one takes over. */
const LOCK_MS = 60_000;
/** How long a concurrent duplicate waits for the first request's answer before giving up. */
const WAIT_MS = 30_000;

export interface StoredResponse {
  status: number;
  /** Empty when `withheld` is set. */
  body: string;
  requestId: string;
  /**
   * Set instead of the body when the answer showed a secret once: what a replay answers (409),
   * so that no secret is kept here for 24 hours and none is shown twice.
   */
  withheld?: string;
}

export type BeginResult =
  | { kind: "proceed" }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "mismatch" }
  | { kind: "in_progress" };

interface KeyRecord {
  fingerprint: string;
  createdAt: number;
  lockedAt: number | null;
  response: StoredResponse | null;
}

export class IdempotencyDO extends DurableObject<Env> {
  /** Duplicates waiting for the request in flight, woken when it completes or releases. */
  private waiters = new Set<() => void>();

  private get record(): KeyRecord | undefined {
    const record = this.ctx.storage.kv.get<KeyRecord>("record");
    return record && Date.now() - record.createdAt < IDEMPOTENCY_TTL_MS ? record : undefined;
  }

  /** Claims the key for a request, or says why the request must not run. */
  async begin(fingerprint: string): Promise<BeginResult> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const now = Date.now();
      const record = this.record;
      if (!record || (record.response === null && record.lockedAt === null)) {
        this.ctx.storage.kv.put<KeyRecord>("record", {
          fingerprint,
          createdAt: record?.createdAt ?? now,
          lockedAt: now,
          response: null,
        });
        if (!record) await this.ctx.storage.setAlarm(now + IDEMPOTENCY_TTL_MS);
        return { kind: "proceed" };
      }
      if (record.fingerprint !== fingerprint) return { kind: "mismatch" };
      if (record.response) return { kind: "replay", response: record.response };
      if (now - record.lockedAt! > LOCK_MS) {
        this.ctx.storage.kv.put<KeyRecord>("record", { ...record, lockedAt: now });
        return { kind: "proceed" };
      }
      if (now >= deadline) return { kind: "in_progress" };
      await this.waitForRelease(deadline - now);
    }
  }

  /** Stores the answer of the request that held the key and wakes its duplicates. */
  async complete(fingerprint: string, response: StoredResponse): Promise<void> {
    const record = this.record;
    if (!record || record.fingerprint !== fingerprint) return;
    this.ctx.storage.kv.put<KeyRecord>("record", { ...record, lockedAt: null, response });
    this.wake();
  }

  /**
   * Lets the key go without an answer (the request failed before doing anything lasting, or
   * failed in a way worth retrying), so a retry with the same key runs again.
   */
  async release(fingerprint: string): Promise<void> {
    const record = this.record;
    if (!record || record.fingerprint !== fingerprint || record.response) return;
    this.ctx.storage.kv.put<KeyRecord>("record", { ...record, lockedAt: null });
    this.wake();
  }

  override async alarm(): Promise<void> {
    meterAlarm(this.env, "IdempotencyDO");
    await this.ctx.storage.deleteAll();
  }

  private waitForRelease(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
