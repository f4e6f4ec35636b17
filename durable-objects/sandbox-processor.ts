// The sandbox channel: a built-in payment processor that needs no credentials. It is sharded
// into a few objects (like a real processor's backend), each holding many payment intents in
// SQLite, so a payment costs the platform no extra object. It behaves like a customer paying
// (the payment_method picks the outcome) and reports each outcome the way a real channel does:
// a signed webhook to POST /api/v1/webhooks/sandbox, through the platform's real ingress,
// retried with backoff until accepted, in order per intent. A merchant may make it fail on
// purpose (its condition: down, a retriable decline, a timeout after the charge), to watch
// failover and circuit breaking; each shard keeps every merchant's condition, so a create reads
// it where it already is.
import { DurableObject } from "cloudflare:workers";
import { randomBase62 } from "../shared/crypto";
import { meterAlarm, meterStorage, metered } from "../shared/metering";
import {
  CANCELLABLE,
  RETRIABLE_DECLINE,
  SCENARIOS,
  meetsCondition,
  redeliverAt,
  refundOutcome,
  sandboxEvent,
  sandboxWebhook,
  type Step,
} from "../shared/channels/sandbox/processor";
import type {
  SandboxCondition,
  SandboxConditionMode,
  SandboxEvent,
  SandboxIntent,
  SandboxPaymentMethod,
  SandboxRefund,
  SandboxResult,
} from "../shared/channels/sandbox/wire";
import { log } from "../shared/observability/logger";

/** Deliveries in flight at once from one shard (each intent's own events stay in order). */
const DELIVERY_CONCURRENCY = 16;
/** When an alarm run fails, the next try. */
const ALARM_RETRY_MS = 2000;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS intents (id TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, data TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS refunds (
    id TEXT PRIMARY KEY, intent_id TEXT NOT NULL, refund_no TEXT NOT NULL, data TEXT NOT NULL,
    UNIQUE (intent_id, refund_no));
  CREATE TABLE IF NOT EXISTS schedule (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, intent_id TEXT NOT NULL,
    step TEXT, refund_id TEXT);
  CREATE INDEX IF NOT EXISTS schedule_at ON schedule (at);
  CREATE TABLE IF NOT EXISTS deliveries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, intent_id TEXT NOT NULL, event TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, at INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS deliveries_at ON deliveries (at);
  CREATE TABLE IF NOT EXISTS conditions (
    merchant_id TEXT PRIMARY KEY, mode TEXT NOT NULL, share REAL NOT NULL, updated_at INTEGER NOT NULL);
`;

const fail = (code: string, message: string): SandboxResult<never> => ({ ok: false, code, message });
const missing = () => fail("resource_missing", "No such payment intent.");

export class SandboxProcessorDO extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, metered(env));
    meterStorage(ctx.storage, env, "SandboxProcessorDO");
    ctx.storage.sql.exec(SCHEMA);
  }

  private get delayMs() {
    return Number(this.env.SANDBOX_DELAY_MS || 1000);
  }

  /**
   * A replayed idempotency key answers the stored intent whatever the merchant's condition: only
   * new creates meet it, so a retry after a timeout finds the payment that was made.
   */
  async createIntent(input: {
    shard: string;
    merchantId: string;
    idempotencyKey: string;
    paymentNo: string;
    amount: number;
    currency: string;
    paymentMethod: SandboxPaymentMethod;
  }): Promise<SandboxResult<SandboxIntent>> {
    const sql = this.ctx.storage.sql;
    const existing = sql
      .exec<{ data: string }>("SELECT data FROM intents WHERE idempotency_key = ?", input.idempotencyKey)
      .toArray()[0];
    if (existing) return { ok: true, value: JSON.parse(existing.data) as SandboxIntent };
    const condition = this.conditionMet(input.merchantId);
    if (condition === "down") return fail("sandbox_unavailable", "The sandbox is down for this merchant (its sandbox condition); nothing was created.");
    const declined = condition === "decline_retriable";
    const scenario = SCENARIOS[input.paymentMethod];
    const id = `sbpi_${input.shard}_${randomBase62(20)}`;
    const intent: SandboxIntent = {
      id,
      object: "sandbox.payment_intent",
      payment_no: input.paymentNo,
      amount: input.amount,
      currency: input.currency,
      status: declined ? RETRIABLE_DECLINE.status : scenario.initial,
      payment_method: input.paymentMethod,
      client_secret: `${id}_secret_${randomBase62(24)}`,
      failure: declined ? RETRIABLE_DECLINE.failure : null,
      created: Math.floor(Date.now() / 1000),
    };
    sql.exec("INSERT INTO intents (id, idempotency_key, data) VALUES (?, ?, ?)", id, input.idempotencyKey, JSON.stringify(intent));
    this.schedule(id, declined ? [RETRIABLE_DECLINE] : scenario.onCreate);
    await this.rearm();
    if (condition === "timeout_after_charge") {
      return fail("sandbox_timeout", "The sandbox did not answer in time; the payment may have been made.");
    }
    return { ok: true, value: intent };
  }

  /** Stores a merchant's condition ("up" too, so an older setting that arrives late cannot win). */
  async setCondition(merchantId: string, condition: SandboxCondition): Promise<void> {
    this.ctx.storage.sql.exec(
      `INSERT INTO conditions (merchant_id, mode, share, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (merchant_id) DO UPDATE SET mode = excluded.mode, share = excluded.share, updated_at = excluded.updated_at
       WHERE excluded.updated_at >= conditions.updated_at`,
      merchantId,
      condition.mode,
      condition.share,
      condition.updatedAt,
    );
  }

  /** The merchant's condition; null when it never set one. */
  async condition(merchantId: string): Promise<SandboxCondition | null> {
    return this.storedCondition(merchantId);
  }

  async getIntent(id: string): Promise<SandboxResult<SandboxIntent>> {
    const intent = this.intent(id);
    return intent ? { ok: true, value: intent } : missing();
  }

  /** The customer completes the payment (3-D Secure passed, bank transfer arrived, …). */
  async confirmIntent(id: string): Promise<SandboxResult<SandboxIntent>> {
    const intent = this.intent(id);
    if (!intent) return missing();
    const scenario = SCENARIOS[intent.payment_method];
    const busy = this.ctx.storage.sql.exec("SELECT 1 FROM schedule WHERE intent_id = ? AND step IS NOT NULL", id).toArray().length > 0;
    if (!scenario.onConfirm || intent.status !== scenario.awaitsConfirmIn || busy) {
      return fail("intent_unexpected_state", `A ${intent.status} payment with ${intent.payment_method} cannot be confirmed.`);
    }
    this.schedule(id, scenario.onConfirm);
    await this.rearm();
    return { ok: true, value: intent };
  }

  async cancelIntent(id: string): Promise<SandboxResult<SandboxIntent>> {
    const intent = this.intent(id);
    if (!intent) return missing();
    if (intent.status === "cancelled") return { ok: true, value: intent };
    if (!CANCELLABLE.includes(intent.status)) {
      return fail("intent_unexpected_state", `A ${intent.status} payment cannot be cancelled.`);
    }
    this.ctx.storage.sql.exec("DELETE FROM schedule WHERE intent_id = ? AND step IS NOT NULL", id);
    const cancelled = this.apply(id, { after: 0, status: "cancelled" });
    await this.rearm();
    return { ok: true, value: cancelled };
  }

  async createRefund(intentId: string, input: { refundNo: string; amount: number }): Promise<SandboxResult<SandboxRefund>> {
    const sql = this.ctx.storage.sql;
    const intent = this.intent(intentId);
    if (!intent) return missing();
    const existing = sql
      .exec<{ data: string }>("SELECT data FROM refunds WHERE intent_id = ? AND refund_no = ?", intentId, input.refundNo)
      .toArray()[0];
    if (existing) return { ok: true, value: JSON.parse(existing.data) as SandboxRefund };
    if (intent.status !== "succeeded") {
      return fail("charge_not_refundable", `A ${intent.status} payment cannot be refunded.`);
    }
    const refunded = sql
      .exec<{ data: string }>("SELECT data FROM refunds WHERE intent_id = ?", intentId)
      .toArray()
      .map((r) => JSON.parse(r.data) as SandboxRefund)
      .filter((r) => r.status !== "failed")
      .reduce((sum, r) => sum + r.amount, 0);
    if (refunded + input.amount > intent.amount) {
      return fail("amount_too_large", "Refund amount exceeds the unrefunded amount of the payment.");
    }
    const refund: SandboxRefund = {
      id: `sbre_${intentId.split("_")[1]}_${randomBase62(20)}`,
      object: "sandbox.refund",
      refund_no: input.refundNo,
      payment_no: intent.payment_no,
      payment_intent: intent.id,
      amount: input.amount,
      currency: intent.currency,
      status: "pending",
      failure: null,
      created: Math.floor(Date.now() / 1000),
    };
    sql.exec("INSERT INTO refunds (id, intent_id, refund_no, data) VALUES (?, ?, ?, ?)", refund.id, intentId, input.refundNo, JSON.stringify(refund));
    sql.exec("INSERT INTO schedule (at, intent_id, refund_id) VALUES (?, ?, ?)", Date.now() + this.delayMs, intentId, refund.id);
    await this.rearm();
    return { ok: true, value: refund };
  }

  async getRefund(refundId: string): Promise<SandboxResult<SandboxRefund>> {
    const row = this.ctx.storage.sql.exec<{ data: string }>("SELECT data FROM refunds WHERE id = ?", refundId).toArray()[0];
    return row ? { ok: true, value: JSON.parse(row.data) as SandboxRefund } : fail("resource_missing", "No such refund.");
  }

  /**
   * Runs the due steps and deliveries. A failure (the storage out of memory, say) re-arms the
   * alarm itself: left to the runtime's few alarm retries, the schedule would stall for good.
   */
  override async alarm(): Promise<void> {
    meterAlarm(this.env, "SandboxProcessorDO");
    try {
      await this.runDue();
    } catch (error) {
      log.warn("sandbox alarm failed", { retry_in_ms: ALARM_RETRY_MS, error: String(error) });
      await this.ctx.storage.setAlarm(Date.now() + ALARM_RETRY_MS);
    }
  }

  /**
   * Re-arms the alarm if work is waiting without one (from the cron): an alarm whose runs all
   * failed before reaching the handler (the object could not even open its storage) is dropped
   * by the runtime after its retries.
   */
  async ensureAlarm(): Promise<void> {
    await this.rearm();
  }

  private async runDue(): Promise<void> {
    const now = Date.now();
    const sql = this.ctx.storage.sql;
    const due = sql
      .exec<{ seq: number; intent_id: string; step: string | null; refund_id: string | null }>(
        "SELECT seq, intent_id, step, refund_id FROM schedule WHERE at <= ? ORDER BY seq",
        now,
      )
      .toArray();
    this.ctx.storage.transactionSync(() => {
      for (const item of due) {
        if (item.step) this.apply(item.intent_id, JSON.parse(item.step) as Step);
        if (item.refund_id) this.settleRefund(item.intent_id, item.refund_id);
        sql.exec("DELETE FROM schedule WHERE seq = ?", item.seq);
      }
    });
    await this.deliverDue(now);
    await this.rearm();
  }

  /** The condition a new create of this merchant meets, if it meets one (a share of them do). */
  private conditionMet(merchantId: string): Exclude<SandboxConditionMode, "up"> | null {
    const condition = this.storedCondition(merchantId);
    return condition && condition.mode !== "up" && meetsCondition(condition.share) ? condition.mode : null;
  }

  private storedCondition(merchantId: string): SandboxCondition | null {
    const row = this.ctx.storage.sql
      .exec<{ mode: SandboxConditionMode; share: number; updated_at: number }>(
        "SELECT mode, share, updated_at FROM conditions WHERE merchant_id = ?",
        merchantId,
      )
      .toArray()[0];
    return row ? { mode: row.mode, share: row.share, updatedAt: row.updated_at } : null;
  }

  private intent(id: string): SandboxIntent | undefined {
    const row = this.ctx.storage.sql.exec<{ data: string }>("SELECT data FROM intents WHERE id = ?", id).toArray()[0];
    return row ? (JSON.parse(row.data) as SandboxIntent) : undefined;
  }

  private schedule(intentId: string, steps: Step[]): void {
    const now = Date.now();
    for (const step of steps) {
      this.ctx.storage.sql.exec(
        "INSERT INTO schedule (at, intent_id, step) VALUES (?, ?, ?)",
        now + Math.round(step.after * this.delayMs),
        intentId,
        JSON.stringify(step),
      );
    }
  }

  private apply(intentId: string, step: Step): SandboxIntent {
    const intent: SandboxIntent = { ...this.intent(intentId)!, status: step.status, failure: step.failure ?? null };
    this.ctx.storage.sql.exec("UPDATE intents SET data = ? WHERE id = ?", JSON.stringify(intent), intentId);
    this.enqueue(intentId, `payment_intent.${step.status}`, intent);
    return intent;
  }

  private settleRefund(intentId: string, refundId: string): void {
    const row = this.ctx.storage.sql.exec<{ data: string }>("SELECT data FROM refunds WHERE id = ?", refundId).one();
    const refund: SandboxRefund = { ...(JSON.parse(row.data) as SandboxRefund), ...refundOutcome(this.intent(intentId)!.payment_method) };
    this.ctx.storage.sql.exec("UPDATE refunds SET data = ? WHERE id = ?", JSON.stringify(refund), refundId);
    this.enqueue(intentId, `refund.${refund.status as "succeeded" | "failed"}`, refund);
  }

  private enqueue(intentId: string, type: SandboxEvent["type"], object: SandboxIntent | SandboxRefund): void {
    this.ctx.storage.sql.exec(
      "INSERT INTO deliveries (intent_id, event, at) VALUES (?, ?, ?)",
      intentId,
      JSON.stringify(sandboxEvent(type, object)),
      Date.now(),
    );
  }

  /** Posts due webhooks; an intent's events go in order, and a refused one waits with backoff. */
  private async deliverDue(now: number): Promise<void> {
    const rows = this.ctx.storage.sql
      .exec<{ seq: number; intent_id: string; event: string; attempts: number; at: number }>(
        "SELECT * FROM deliveries ORDER BY seq",
      )
      .toArray();
    const byIntent = new Map<string, typeof rows>();
    for (const row of rows) byIntent.set(row.intent_id, [...(byIntent.get(row.intent_id) ?? []), row]);
    const queues = [...byIntent.values()].filter((q) => q[0]!.at <= now);
    const worker = async () => {
      for (let queue = queues.shift(); queue; queue = queues.shift()) {
        for (const row of queue) {
          if (await this.post(row.event)) {
            this.ctx.storage.sql.exec("DELETE FROM deliveries WHERE seq = ?", row.seq);
            continue;
          }
          const at = redeliverAt(row.attempts, now);
          this.ctx.storage.sql.exec("UPDATE deliveries SET attempts = attempts + 1, at = ? WHERE seq = ?", at, row.seq);
          break;
        }
      }
    };
    await Promise.all(Array.from({ length: DELIVERY_CONCURRENCY }, worker));
  }

  private async post(body: string): Promise<boolean> {
    const secret = this.env.SANDBOX_WEBHOOK_SECRET;
    if (!secret) return false;
    // The platform's own HTTP stack, through the Worker's loopback (ctx.exports, no network): the
    // same routing, verification, dedupe and queue as any channel's webhook.
    try {
      const response = await this.ctx.exports.default.fetch(await sandboxWebhook(secret, body));
      return response.ok;
    } catch {
      return false;
    }
  }

  private async rearm(): Promise<void> {
    const next = this.ctx.storage.sql
      .exec<{ at: number | null }>(
        "SELECT min(at) AS at FROM (SELECT min(at) AS at FROM schedule UNION ALL SELECT min(at) FROM deliveries)",
      )
      .one().at;
    if (next === null) return;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || next < current) await this.ctx.storage.setAlarm(next);
  }
}
