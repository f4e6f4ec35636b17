import { applyD1Migrations, env } from "cloudflare:test";
import { is } from "drizzle-orm";
import { SQLiteTable, getTableConfig } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as schema from "../../shared/db/schema";

const SEED_TABLES = [
  "payments", "refunds", "payment_callbacks", "payment_routes",
  "orders", "order_items", "order_logs", "order_statistics",
  "channel_configs", "transactions", "webhook_logs",
];

async function columnsOf(table: string): Promise<string[]> {
  const info = await env.DB.prepare(`PRAGMA table_info(${table})`).all<{ name: string }>();
  return info.results.map((c) => c.name).sort();
}

async function indexesOf(table: string) {
  const list = await env.DB.prepare(`PRAGMA index_list(${table})`).all<{ name: string; unique: number }>();
  return Promise.all(
    list.results.map(async (ix) => {
      const cols = await env.DB.prepare(`PRAGMA index_info(${ix.name})`).all<{ name: string }>();
      return { unique: ix.unique === 1, columns: cols.results.map((c) => c.name).join(",") };
    }),
  );
}

describe("D1 migrations", () => {
  it("create every table of the seed, plus merchants, api_keys and dead_letters", async () => {
    const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all<{ name: string }>();
    const names = tables.results.map((t) => t.name);
    for (const table of [...SEED_TABLES, "merchants", "api_keys", "dead_letters"]) {
      expect(names).toContain(table);
    }
  });

  it("apply again as a no-op (they are recorded in d1_migrations)", async () => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM d1_migrations").first<{ n: number }>();
    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
    const after = await env.DB.prepare("SELECT count(*) AS n FROM d1_migrations").first<{ n: number }>();
    expect(after!.n).toBe(before!.n);
    expect(after!.n).toBe(env.TEST_MIGRATIONS.length);
  });

  it("search the seed's fields through an index each (merchant, status, time) and keep the merchant composites", async () => {
    for (const [table, id] of [["payments", "payment_no"], ["refunds", "refund_no"], ["orders", "order_no"]]) {
      const columns = (await indexesOf(table!)).map((ix) => ix.columns);
      // an index leading with the column serves it; a narrower one beside it only costs writes
      for (const field of ["merchant_id", "status", "created_at"]) {
        expect(columns.some((c) => c.split(",")[0] === field)).toBe(true);
      }
      expect(columns).not.toContain("merchant_id");
      expect(columns).not.toContain("status");
      expect(columns).toContain("created_at");
      expect(columns).toContain(`merchant_id,livemode,status,created_at,${id}`);
      expect(columns).toContain(`merchant_id,livemode,created_at,${id}`);
    }
  });

  it("make payment_no, refund_no unique and order_no unique per merchant", async () => {
    const unique = async (table: string) =>
      (await indexesOf(table)).filter((ix) => ix.unique).map((ix) => ix.columns);
    expect(await unique("payments")).toContain("payment_no");
    expect(await unique("refunds")).toContain("refund_no");
    expect(await unique("orders")).toContain("merchant_id,order_no");
    expect(await unique("payment_callbacks")).toContain("channel,account,event_id");
    expect(await unique("api_keys")).toContain("key_hash");
  });

  it("match the drizzle schema column for column", async () => {
    const tables = (Object.values(schema) as unknown[]).filter((v): v is SQLiteTable => is(v, SQLiteTable));
    expect(tables.length).toBe(33);
    for (const table of tables) {
      const config = getTableConfig(table);
      expect({ table: config.name, columns: await columnsOf(config.name) }).toEqual({
        table: config.name,
        columns: config.columns.map((c) => c.name).sort(),
      });
    }
  });

  it("refuse a non-positive payment amount at the database too", async () => {
    const insert = env.DB.prepare(
      `INSERT INTO payments (payment_no, merchant_id, livemode, order_no, amount, currency, status,
         channel, version, created_at, updated_at) VALUES ('PYx', 'm', 0, 'o', 0, 'USD', 'pending', 'sandbox', 1, 0, 0)`,
    );
    await expect(insert.run()).rejects.toThrow(/CHECK constraint failed/);
  });
});
