// RoutingHealthDO: one per merchant and mode. It hears every attempt's outcome through the
// payments' outboxes (never on a request's path), keeps success and latency figures per minute
// over a sliding window (bounded: rows older than the window are dropped as new ones come), and
// the circuit of each channel. The create path reads its snapshot, one hop, cached briefly.
import { CountingObject } from "./counting-object";
import type { ChannelName } from "../shared/channels/registry";
import type { AttemptOutcome, HeardOutcome } from "../shared/payments/attempts";
import { CIRCUIT_DEFAULTS, CLOSED_CIRCUIT, circuitAt, halfOpensAt, recordOutcome, type Circuit, type CircuitStatus } from "../shared/routing/circuit";
import { statsKey, type HealthSnapshot } from "../shared/routing/dynamic";
import { emptyHistogram, mergeHistograms, quantileMs, withLatency } from "../shared/routing/latency";
import { HEALTH_WINDOW_MS, healthOwner } from "../shared/routing/health";
import { publishCircuits } from "../shared/routing/circuit-publish";
import { log } from "../shared/observability/logger";

const MINUTE = 60_000;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS figures (
    minute INTEGER NOT NULL, channel TEXT NOT NULL, bucket TEXT NOT NULL,
    succeeded INTEGER NOT NULL DEFAULT 0, declined INTEGER NOT NULL DEFAULT 0,
    outages INTEGER NOT NULL DEFAULT 0, answered INTEGER NOT NULL DEFAULT 0,
    latency TEXT, PRIMARY KEY (minute, channel, bucket)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS circuits (
    channel TEXT PRIMARY KEY, data TEXT NOT NULL, closed_at INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS circuit_changes (
    channel TEXT PRIMARY KEY, state TEXT NOT NULL, changed_at INTEGER NOT NULL) WITHOUT ROWID;
`;

/** What GET /routing/health shows of one channel. */
export interface ChannelHealthReport {
  channel: ChannelName;
  attempts: number;
  succeeded: number;
  declined: number;
  outages: number;
  successRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  circuit: Circuit & { halfOpensAt: number | null };
}

type Row = {
  channel: ChannelName;
  bucket: string;
  succeeded: number;
  declined: number;
  outages: number;
  answered: number;
  latency: string | null;
};

const COLUMN: Record<AttemptOutcome["kind"], string> = {
  answered: "answered",
  succeeded: "succeeded",
  declined: "declined",
  outage: "outages",
};

const settledOf = (r: Pick<Row, "succeeded" | "declined" | "outages">) => r.succeeded + r.declined + r.outages;

export class RoutingHealthDO extends CountingObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, "RoutingHealthDO", SCHEMA);
  }

  /** Counts outcomes (once each while this object stays up) and moves the circuits they concern. */
  async record(outcomes: HeardOutcome[], now = Date.now()): Promise<void> {
    const sql = this.ctx.storage.sql;
    this.countOnce(
      outcomes,
      now,
      (fresh) => {
        for (const o of fresh) {
          const minute = Math.floor(o.at / MINUTE) * MINUTE;
          const bucket = statsKey(o.paymentMethod, o.currency);
          const row = sql
            .exec<{ latency: string | null }>("SELECT latency FROM figures WHERE minute = ? AND channel = ? AND bucket = ?", minute, o.channel, bucket)
            .toArray()[0];
          const latency = o.latencyMs === null ? (row?.latency ?? null) : JSON.stringify(withLatency(row?.latency ? JSON.parse(row.latency) : emptyHistogram(), o.latencyMs));
          const column = COLUMN[o.kind];
          sql.exec(
            `INSERT INTO figures (minute, channel, bucket, ${column}, latency) VALUES (?, ?, ?, 1, ?)
             ON CONFLICT (minute, channel, bucket) DO UPDATE SET ${column} = ${column} + 1, latency = excluded.latency`,
            minute, o.channel, bucket, latency,
          );
          // a circuit hears each create once (an answer, a decline in it, or an outage), so one probe
          // payment is one probe; what a payment settles to later is the buyer's, not the channel's
          if (o.latencyMs !== null) this.moveCircuit(o.channel, o.kind, o.at);
        }
      },
      (minute) => sql.exec("DELETE FROM figures WHERE minute < ?", minute - HEALTH_WINDOW_MS - MINUTE),
    );
    await this.publishChanges();
  }

  /**
   * Hands the circuits' changes of state to D1 (routing_circuits). They wait in circuit_changes,
   * written with the change itself, until D1 has them: one that fails now goes with the next
   * outcomes heard (at least once). A failure never fails the outcomes' delivery.
   */
  private async publishChanges(): Promise<void> {
    const sql = this.ctx.storage.sql;
    const changes = sql.exec<{ channel: string; state: CircuitStatus; changed_at: number }>("SELECT * FROM circuit_changes").toArray();
    if (changes.length === 0) return;
    try {
      await publishCircuits(this.env.DB, healthOwner(this.ctx.id.name!), changes.map((c) => ({ channel: c.channel, state: c.state, changedAt: c.changed_at })));
    } catch (error) {
      log.warn("circuit changes not published", { channels: changes.map((c) => c.channel), error: String(error) });
      return;
    }
    // a change made while the write was out stays for the next
    for (const c of changes) sql.exec("DELETE FROM circuit_changes WHERE channel = ? AND changed_at = ? AND state = ?", c.channel, c.changed_at, c.state);
  }
  /** What the create path orders and eliminates by. */
  async snapshot(now = Date.now()): Promise<HealthSnapshot> {
    const channels: HealthSnapshot["channels"] = {};
    for (const r of this.rows(now)) {
      const health = (channels[r.channel] ??= { circuit: this.circuit(r.channel), overall: { succeeded: 0, settled: 0 }, byKey: {} });
      const figures = (health.byKey[r.bucket] ??= { succeeded: 0, settled: 0 });
      figures.succeeded += r.succeeded;
      figures.settled += settledOf(r);
      health.overall.succeeded += r.succeeded;
      health.overall.settled += settledOf(r);
    }
    for (const { channel } of this.ctx.storage.sql.exec<{ channel: ChannelName }>("SELECT channel FROM circuits")) {
      channels[channel] ??= { circuit: this.circuit(channel), overall: { succeeded: 0, settled: 0 }, byKey: {} };
    }
    return { at: now, channels };
  }

  /** Per channel: attempts, success rate, latency quantiles and the circuit as it stands now. */
  async report(now = Date.now()): Promise<ChannelHealthReport[]> {
    const totals = new Map<ChannelName, Omit<Row, "channel" | "bucket" | "latency"> & { histogram: number[] }>();
    for (const r of this.rows(now)) {
      const t = totals.get(r.channel) ?? { succeeded: 0, declined: 0, outages: 0, answered: 0, histogram: emptyHistogram() };
      totals.set(r.channel, {
        succeeded: t.succeeded + r.succeeded,
        declined: t.declined + r.declined,
        outages: t.outages + r.outages,
        answered: t.answered + r.answered,
        histogram: r.latency ? mergeHistograms(t.histogram, JSON.parse(r.latency) as number[]) : t.histogram,
      });
    }
    const names = new Set<ChannelName>([...totals.keys(), ...this.ctx.storage.sql.exec<{ channel: ChannelName }>("SELECT channel FROM circuits").toArray().map((r) => r.channel)]);
    return [...names].sort().map((channel) => {
      const t = totals.get(channel) ?? { succeeded: 0, declined: 0, outages: 0, answered: 0, histogram: emptyHistogram() };
      const settled = settledOf(t);
      const circuit = circuitAt(this.circuit(channel), now, CIRCUIT_DEFAULTS);
      return {
        channel,
        // an attempt is heard once when its create is answered or fails, and again when it settles
        attempts: t.answered + t.outages,
        succeeded: t.succeeded,
        declined: t.declined,
        outages: t.outages,
        successRate: settled > 0 ? t.succeeded / settled : null,
        p50Ms: quantileMs(t.histogram, 0.5),
        p95Ms: quantileMs(t.histogram, 0.95),
        circuit: { ...circuit, halfOpensAt: circuit.status === "open" ? halfOpensAt(circuit, CIRCUIT_DEFAULTS) : null },
      };
    });
  }

  private rows(now: number): Row[] {
    return this.ctx.storage.sql
      .exec<Row>("SELECT channel, bucket, succeeded, declined, outages, answered, latency FROM figures WHERE minute >= ?", now - HEALTH_WINDOW_MS)
      .toArray();
  }

  /**
   * The circuit after one create's outcome. Its success figure counts the channel's own failures
   * only (declines are the buyers'), and only since the circuit last closed: the outages that
   * opened it must not open it again at once.
   */
  private moveCircuit(channel: ChannelName, kind: AttemptOutcome["kind"], at: number): void {
    const sql = this.ctx.storage.sql;
    const row = sql.exec<{ data: string; closed_at: number }>("SELECT data, closed_at FROM circuits WHERE channel = ?", channel).toArray()[0];
    const circuit = row ? (JSON.parse(row.data) as Circuit) : CLOSED_CIRCUIT;
    // the common case: a healthy channel answered; only an outage can move a closed circuit
    if (circuit.status === "closed" && circuit.consecutiveOutages === 0 && kind !== "outage") return;
    const since = Math.max(at - HEALTH_WINDOW_MS, row?.closed_at ?? 0);
    const r = sql
      .exec<{ succeeded: number; outages: number }>(
        "SELECT coalesce(sum(succeeded), 0) AS succeeded, coalesce(sum(outages), 0) AS outages FROM figures WHERE channel = ? AND minute >= ?",
        channel, Math.floor(since / MINUTE) * MINUTE,
      )
      .one();
    const next = recordOutcome(circuit, kind, { succeeded: r.succeeded, settled: r.succeeded + r.outages }, at, CIRCUIT_DEFAULTS);
    // most outcomes leave a closed circuit as it was: nothing to write
    if (JSON.stringify(next) === (row?.data ?? JSON.stringify(CLOSED_CIRCUIT))) return;
    const closedAt = next.status === "closed" && circuit.status !== "closed" ? at : (row?.closed_at ?? 0);
    sql.exec("INSERT OR REPLACE INTO circuits (channel, data, closed_at) VALUES (?, ?, ?)", channel, JSON.stringify(next), closedAt);
    // a new state (a re-opening is one: its cool-down starts again) is D1's to hear
    if (next.status !== circuit.status || next.openedAt !== circuit.openedAt) {
      sql.exec("INSERT OR REPLACE INTO circuit_changes (channel, state, changed_at) VALUES (?, ?, ?)", channel, next.status, at);
    }
  }

  private circuit(channel: ChannelName): Circuit {
    const row = this.ctx.storage.sql.exec<{ data: string }>("SELECT data FROM circuits WHERE channel = ?", channel).toArray()[0];
    return row ? (JSON.parse(row.data) as Circuit) : CLOSED_CIRCUIT;
  }
}
