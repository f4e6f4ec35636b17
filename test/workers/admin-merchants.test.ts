// GET /api/v1/admin/merchants: the operators' list. Other test files create merchants in the same
// database at the same time, so this file moves its own merchants into a creation-time window of
// their own (in 2001) and pages within it; nothing depends on how many merchants exist.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_TOKEN } from "../constants";
import { api, createMerchant, errorOf } from "./helpers";

interface MerchantJson {
  id: string;
  object: string;
  name: string;
  email: string;
  status: string;
  created_at: string;
}

interface Page {
  object: "list";
  data: MerchantJson[];
  has_more: boolean;
}

const COUNT = 12;
const SUSPENDED = new Set([1, 4, 9]);
const tag = `list${Date.now()}${Math.floor(Math.random() * 1e6)}`;
// a random second in 2001, so that reruns against a kept database do not share a window
const base = Date.UTC(2001, 0, 1) + Math.floor(Math.random() * 300 * 86_400) * 1000;
const window = `created_gte=${new Date(base).toISOString()}&created_lte=${new Date(base + COUNT * 1000).toISOString()}`;

const list = async (query: string) => {
  const res = await api(`/api/v1/admin/merchants?${query}`, { key: TEST_ADMIN_TOKEN });
  expect(res.status).toBe(200);
  return res.json<Page>();
};
const ids = (page: Page) => page.data.map((m) => m.id);

/** Own merchants, newest first as the list orders them: by created_at, then id, descending. */
let newestFirst: Array<{ id: string; email: string; status: string; createdAt: number }>;

beforeAll(async () => {
  const own = [];
  for (let i = 0; i < COUNT; i++) {
    const email = `${tag}-${i}@example.com`;
    const res = await api("/api/v1/admin/merchants", { key: TEST_ADMIN_TOKEN, body: { name: `List ${i}`, email } });
    expect(res.status).toBe(201);
    const { merchant } = await res.json<{ merchant: MerchantJson }>();
    // two merchants per second, so the pages also cross ties broken by id
    const createdAt = base + Math.floor(i / 2) * 1000;
    const status = SUSPENDED.has(i) ? "suspended" : "active";
    own.push({ id: merchant.id, email, status, createdAt });
  }
  // there is no API to back-date a merchant: the test seeds the times in D1, and the statuses with them
  await env.DB.batch(
    own.map((m) => env.DB.prepare("UPDATE merchants SET created_at = ?, status = ? WHERE id = ?").bind(m.createdAt, m.status, m.id)),
  );
  newestFirst = own.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
});

describe("GET /api/v1/admin/merchants", () => {
  it("needs the admin token: none, a wrong one or a merchant key is 401", async () => {
    expect(await errorOf(await api("/api/v1/admin/merchants"))).toMatchObject({ status: 401 });
    expect(await errorOf(await api("/api/v1/admin/merchants", { key: `${TEST_ADMIN_TOKEN}x` }))).toMatchObject({
      status: 401,
      code: "admin_token_invalid",
    });
    const m = await createMerchant();
    expect((await api("/api/v1/admin/merchants", { key: m.liveKey })).status).toBe(401);
  });

  it("answers a Stripe-shaped list of merchants, 10 by default", async () => {
    const page = await list(window);
    expect(page.object).toBe("list");
    expect(page.has_more).toBe(true);
    expect(ids(page)).toEqual(newestFirst.slice(0, 10).map((m) => m.id));
    expect(page.data[0]).toEqual({
      id: newestFirst[0]!.id,
      object: "merchant",
      name: expect.stringMatching(/^List \d+$/),
      email: newestFirst[0]!.email,
      status: newestFirst[0]!.status,
      created_at: new Date(newestFirst[0]!.createdAt).toISOString(),
    });
  });

  it("pages forwards with starting_after, newest first, without gaps or repeats", async () => {
    const first = await list(`${window}&limit=5`);
    const second = await list(`${window}&limit=5&starting_after=${first.data.at(-1)!.id}`);
    const third = await list(`${window}&limit=5&starting_after=${second.data.at(-1)!.id}`);
    expect([first.has_more, second.has_more, third.has_more]).toEqual([true, true, false]);
    expect([...ids(first), ...ids(second), ...ids(third)]).toEqual(newestFirst.map((m) => m.id));
  });

  it("pages backwards with ending_before, in the same newest-first order", async () => {
    const oldest = newestFirst.at(-1)!.id;
    const back = await list(`${window}&limit=5&ending_before=${oldest}`);
    expect(back.has_more).toBe(true);
    expect(ids(back)).toEqual(newestFirst.slice(6, 11).map((m) => m.id));
    const further = await list(`${window}&limit=5&ending_before=${back.data[0]!.id}`);
    expect(further.has_more).toBe(true);
    expect(ids(further)).toEqual(newestFirst.slice(1, 6).map((m) => m.id));
    const last = await list(`${window}&limit=5&ending_before=${further.data[0]!.id}`);
    expect(last.has_more).toBe(false);
    expect(ids(last)).toEqual([newestFirst[0]!.id]);
  });

  it("filters by status, and pages within the filter", async () => {
    const suspended = newestFirst.filter((m) => m.status === "suspended").map((m) => m.id);
    const active = newestFirst.filter((m) => m.status === "active").map((m) => m.id);
    expect(ids(await list(`${window}&status=suspended`))).toEqual(suspended);
    expect(ids(await list(`${window}&status=active&limit=100`))).toEqual(active);
    const after = await list(`${window}&status=suspended&limit=1&starting_after=${suspended[0]}`);
    expect([ids(after), after.has_more]).toEqual([[suspended[1]], true]);
  });

  it("filters by exact email", async () => {
    const target = newestFirst[3]!;
    expect(ids(await list(`email=${encodeURIComponent(target.email)}`))).toEqual([target.id]);
    expect((await list(`email=${encodeURIComponent(target.email.toUpperCase())}`)).data).toEqual([]);
  });

  it("walks an index in list order instead of sorting (0009_admin_merchant_list.sql)", async () => {
    for (const filter of ["", "status = 'active' AND", "email = 'x' AND"]) {
      const plan = await env.DB.prepare(
        `EXPLAIN QUERY PLAN SELECT * FROM merchants WHERE ${filter} (created_at, id) < (1, 'x')
         ORDER BY created_at DESC, id DESC LIMIT 11`,
      ).all<{ detail: string }>();
      const details = plan.results.map((r) => r.detail).join("; ");
      expect(details).toMatch(/USING INDEX idx_merchants_/);
      expect(details).not.toMatch(/TEMP B-TREE/);
    }
  });

  it.each([
    ["limit=0", "parameter_invalid", "limit"],
    ["limit=101", "parameter_invalid", "limit"],
    ["limit=ten", "parameter_invalid", "limit"],
    ["status=closed", "parameter_invalid", "status"],
    ["created_gte=yesterday", "parameter_invalid", "created_gte"],
    ["colour=red", "parameter_unknown", "colour"],
    ["starting_after=mch_nope", "resource_missing", "starting_after"],
    ["ending_before=mch_nope", "resource_missing", "ending_before"],
    ["starting_after=a&ending_before=b", "parameter_invalid", "ending_before"],
  ])("refuses %s", async (query, code, param) => {
    expect(await errorOf(await api(`/api/v1/admin/merchants?${query}`, { key: TEST_ADMIN_TOKEN }))).toMatchObject({
      status: 400,
      code,
      param,
    });
  });
});
