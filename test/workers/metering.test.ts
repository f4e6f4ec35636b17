import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { meterReading, metered } from "../../shared/metering";

const on = () => metered({ ...env, BENCH_METER: "on" } as Env);

describe("the bench's meter", () => {
  it("is off unless BENCH_METER is on: the environment is handed back untouched", () => {
    expect(metered(env)).toBe(env);
  });

  it("counts D1 statements by verb and table, round trips, and the rows D1 reports written", async () => {
    const before = meterReading();
    const db = on().DB;
    await db.prepare("CREATE TABLE IF NOT EXISTS meter_probe (id INTEGER PRIMARY KEY, v TEXT)").run();
    await db.batch([db.prepare("INSERT INTO meter_probe (v) VALUES (?)").bind("a"), db.prepare("INSERT INTO meter_probe (v) VALUES (?)").bind("b")]);
    await db.prepare("SELECT * FROM meter_probe").all();
    const after = meterReading();
    expect(after.d1Calls - before.d1Calls).toBe(3);
    expect((after.d1Statements["insert meter_probe"] ?? 0) - (before.d1Statements["insert meter_probe"] ?? 0)).toBe(2);
    expect((after.d1Statements["select meter_probe"] ?? 0) - (before.d1Statements["select meter_probe"] ?? 0)).toBe(1);
    expect(after.d1Writes - before.d1Writes).toBe(2);
    expect(after.d1RowsWritten - before.d1RowsWritten).toBeGreaterThanOrEqual(2);
  });

  it("counts each Durable Object method called and each queue message sent", async () => {
    const before = meterReading();
    const metered = on();
    const stub = metered.PAYMENT.get(metered.PAYMENT.idFromName("PYMETERPROBE0000000000000"));
    await stub.transitions();
    await metered.NOTIFICATIONS.sendBatch([{ body: { eventId: "evt_meter_1", paymentNo: "PYMETERPROBE0000000000000" } }, { body: { eventId: "evt_meter_2", paymentNo: "PYMETERPROBE0000000000000" } }]);
    const after = meterReading();
    expect((after.objectRequests["PAYMENT.transitions"] ?? 0) - (before.objectRequests["PAYMENT.transitions"] ?? 0)).toBe(1);
    expect((after.queueMessages.NOTIFICATIONS ?? 0) - (before.queueMessages.NOTIFICATIONS ?? 0)).toBe(2);
  });
});
