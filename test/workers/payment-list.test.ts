import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_TOKEN } from "../constants";
import {
  api,
  createMerchant,
  createPayment,
  errorOf,
  eventually,
  uniqueOrderNo,
  type PaymentJson,
  type TestMerchant,
} from "./helpers";

interface Page {
  object: "list";
  data: PaymentJson[];
  has_more: boolean;
}

const list = async (key: string, query = "") => {
  const res = await api(`/api/v1/payments${query}`, { key });
  expect(res.status).toBe(200);
  return res.json<Page>();
};

let m: TestMerchant;
let created: PaymentJson[];

beforeAll(async () => {
  m = await createMerchant();
  created = [];
  for (let i = 0; i < 25; i++) {
    const body = {
      order_no: uniqueOrderNo("LIST"),
      amount: 100 + i,
      currency: i % 2 ? "EUR" : "USD",
      payment_method: i < 5 ? "pm_sandbox_requires_action" : "pm_sandbox_processing",
    };
    created.push(await (await createPayment(m.testKey, body)).json<PaymentJson>());
  }
  await eventually(
    () => env.DB.prepare("SELECT count(*) AS n FROM payments WHERE merchant_id = ?").bind(m.id).first<{ n: number }>(),
    (r) => r!.n === 25,
  );
});

describe("GET /api/v1/payments", () => {
  it("pages through everything newest first, without gaps or repeats", async () => {
    const first = await list(m.testKey, "?limit=10");
    const second = await list(m.testKey, `?limit=10&starting_after=${first.data.at(-1)!.payment_no}`);
    const third = await list(m.testKey, `?limit=10&starting_after=${second.data.at(-1)!.payment_no}`);
    expect([first.has_more, second.has_more, third.has_more]).toEqual([true, true, false]);
    expect([first.data.length, second.data.length, third.data.length]).toEqual([10, 10, 5]);
    const all = [...first.data, ...second.data, ...third.data];
    expect(new Set(all.map((p) => p.payment_no)).size).toBe(25);
    const times = all.map((p) => Date.parse(p.created_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(all.map((p) => p.payment_no).sort()).toEqual(created.map((p) => p.payment_no).sort());
  });

  it("pages backwards with ending_before", async () => {
    const first = await list(m.testKey, "?limit=10");
    const second = await list(m.testKey, `?limit=10&starting_after=${first.data.at(-1)!.payment_no}`);
    const back = await list(m.testKey, `?limit=10&ending_before=${second.data[0]!.payment_no}`);
    expect(back.data.map((p) => p.payment_no)).toEqual(first.data.map((p) => p.payment_no));
  });

  it("filters by status, order_no, channel and creation time", async () => {
    const waiting = await list(m.testKey, "?status=requires_action&limit=100");
    expect(waiting.data.map((p) => p.payment_no).sort()).toEqual(created.slice(0, 5).map((p) => p.payment_no).sort());
    const one = await list(m.testKey, `?order_no=${created[7]!.order_no}`);
    expect(one.data.map((p) => p.payment_no)).toEqual([created[7]!.payment_no]);
    expect((await list(m.testKey, "?channel=sandbox&limit=100")).data).toHaveLength(25);
    const pivot = created[12]!.created_at;
    const newer = await list(m.testKey, `?created_gte=${pivot}&limit=100`);
    const older = await list(m.testKey, `?created_lte=${pivot}&limit=100`);
    expect(newer.data.every((p) => p.created_at >= pivot)).toBe(true);
    expect(older.data.every((p) => p.created_at <= pivot)).toBe(true);
    expect(newer.data.length + older.data.length).toBeGreaterThanOrEqual(25);
  });

  it("takes a date alone as its whole UTC day, and a date-time with an offset", async () => {
    const day = created[12]!.created_at.slice(0, 10);
    const sameDay = created.filter((p) => p.created_at.startsWith(day)).map((p) => p.payment_no);
    const onDay = await list(m.testKey, `?created_gte=${day}&created_lte=${day}&limit=100`);
    expect(onDay.data.map((p) => p.payment_no).sort()).toEqual(sameDay.sort());
    const dayBefore = new Date(Date.parse(day) - 86_400_000).toISOString().slice(0, 10);
    expect((await list(m.testKey, `?created_lte=${dayBefore}`)).data).toEqual([]);
    // the pivot's instant written in UTC-05:00 selects what it selects in UTC
    const pivot = created[12]!.created_at;
    const west = new Date(Date.parse(pivot) - 5 * 3_600_000).toISOString().replace("Z", "-05:00");
    const inUtc = await list(m.testKey, `?created_gte=${pivot}&limit=100`);
    const inWest = await list(m.testKey, `?created_gte=${encodeURIComponent(west)}&limit=100`);
    expect(inWest.data.map((p) => p.payment_no)).toEqual(inUtc.data.map((p) => p.payment_no));
  });

  it("refuses a range that starts after it ends, on every list", async () => {
    for (const [path, key] of [
      ["/api/v1/payments", m.testKey],
      ["/api/v1/refunds", m.testKey],
      ["/api/v1/orders", m.testKey],
      ["/api/v1/events", m.testKey],
      ["/api/v1/admin/merchants", TEST_ADMIN_TOKEN],
    ] as const) {
      const inverted = await api(`${path}?created_gte=2026-11-26&created_lte=2026-11-25T12:00:00Z`, { key });
      expect(await errorOf(inverted), path).toMatchObject({
        status: 400,
        code: "parameter_invalid",
        param: "created_gte",
        message: "Invalid created_gte: 2026-11-26 is after created_lte (2026-11-25T12:00:00Z).",
      });
      const dated = await api(`${path}?created_gte=2026-11-25&created_lte=2026-11-25T23:00:00%2B08:00`, { key });
      expect(dated.status, path).toBe(200);
    }
  });

  it("does not hand out client secrets from the projection", async () => {
    const page = await list(m.testKey, "?limit=5");
    expect(page.data.every((p) => p.client_secret === null)).toBe(true);
  });

  it.each([
    ["?limit=0", "parameter_invalid", "limit"],
    ["?limit=101", "parameter_invalid", "limit"],
    ["?status=paid", "parameter_invalid", "status"],
    ["?created_gte=yesterday", "parameter_invalid", "created_gte"],
    ["?created_lte=2026-11-25T08:00:00", "parameter_invalid", "created_lte"],
    ["?created_gte=2026-13-01", "parameter_invalid", "created_gte"],
    ["?colour=red", "parameter_unknown", "colour"],
    ["?starting_after=PY000000000000000000000000", "resource_missing", "starting_after"],
  ])("refuses %s", async (query, code, param) => {
    expect(await errorOf(await api(`/api/v1/payments${query}`, { key: m.testKey }))).toMatchObject({
      status: 400,
      code,
      param,
    });
  });
});

describe("GET /api/v1/payments?customer_email=", () => {
  it("finds one customer's payments whatever the case of the email, newest first, as they were sent", async () => {
    const a = await createMerchant();
    const b = await createMerchant();
    const pay = async (key: string, customer_email: string | undefined, payment_method = "pm_sandbox_requires_action") =>
      (await createPayment(key, { ...(customer_email && { customer_email }), payment_method })).json<PaymentJson>();
    const ann = [
      await pay(a.testKey, "Ann.Lee@Example.com"),
      await pay(a.testKey, "ann.lee@example.com", "pm_sandbox_processing"),
      await pay(a.testKey, "ANN.LEE@EXAMPLE.COM"),
    ];
    await pay(a.testKey, "ann.lee@example.co");
    await pay(a.testKey, "bob@example.com");
    await pay(a.testKey, undefined);
    const theirs = await pay(b.testKey, "ann.lee@example.com");
    await eventually(
      () => env.DB.prepare("SELECT count(*) AS n FROM payments WHERE merchant_id IN (?, ?)").bind(a.id, b.id).first<{ n: number }>(),
      (r) => r!.n === 7,
    );

    const found = await list(a.testKey, "?customer_email=aNN.lEE%40example.COM&limit=100");
    const newestFirst = [...ann].sort((x, y) => y.created_at.localeCompare(x.created_at) || y.payment_no.localeCompare(x.payment_no));
    expect(found.data.map((p) => [p.payment_no, p.customer_email])).toEqual(newestFirst.map((p) => [p.payment_no, p.customer_email]));
    expect(new Set(found.data.map((p) => p.customer_email))).toEqual(new Set(["Ann.Lee@Example.com", "ann.lee@example.com", "ANN.LEE@EXAMPLE.COM"]));
    // pages within the filter, and combines with the others
    const first = await list(a.testKey, "?customer_email=ann.lee%40example.com&limit=2");
    const second = await list(a.testKey, `?customer_email=ann.lee%40example.com&limit=2&starting_after=${first.data.at(-1)!.payment_no}`);
    expect([first.has_more, second.has_more]).toEqual([true, false]);
    expect([...first.data, ...second.data].map((p) => p.payment_no)).toEqual(found.data.map((p) => p.payment_no));
    const waiting = await list(a.testKey, "?customer_email=ann.lee%40example.com&status=requires_action&limit=100");
    expect(waiting.data.map((p) => p.payment_no).sort()).toEqual([ann[0]!.payment_no, ann[2]!.payment_no].sort());
    // the whole email: no prefix, no other merchant's, no other mode's
    expect((await list(a.testKey, "?customer_email=ann.lee%40example")).data).toEqual([]);
    expect((await list(b.testKey, "?customer_email=ANN.LEE%40example.com")).data.map((p) => p.payment_no)).toEqual([theirs.payment_no]);
    expect((await list(a.liveKey, "?customer_email=ann.lee%40example.com")).data).toEqual([]);
  });

  it.each([
    ["?customer_email=", "customer_email"],
    [`?customer_email=${"a".repeat(312)}%40example.com`, "customer_email"],
  ])("refuses %s", async (query, param) => {
    expect(await errorOf(await api(`/api/v1/payments${query}`, { key: m.testKey }))).toMatchObject({ status: 400, code: "parameter_invalid", param });
  });
});

describe("merchant isolation on payments", () => {
  it("hides one merchant's payments from another on every route", async () => {
    const other = await createMerchant();
    const target = created[0]!;
    for (const [path, method] of [
      [`/api/v1/payments/${target.payment_no}`, "GET"],
      [`/api/v1/payments/${target.payment_no}/cancel`, "POST"],
      [`/api/v1/sandbox/payments/${target.payment_no}/confirm`, "POST"],
    ] as const) {
      const res = await api(path, { key: other.testKey, method });
      expect(await errorOf(res), path).toMatchObject({ status: 404, code: "resource_missing" });
    }
    expect((await list(other.testKey)).data).toEqual([]);
    expect(await errorOf(await api(`/api/v1/payments?starting_after=${target.payment_no}`, { key: other.testKey }))).toMatchObject({
      status: 400,
      code: "resource_missing",
    });
    // and the payment was not touched
    const own = await api(`/api/v1/payments/${target.payment_no}`, { key: m.testKey });
    expect((await own.json<PaymentJson>()).status).toBe("requires_action");
  });

  it("keeps test-mode payments out of live mode", async () => {
    const target = created[0]!;
    expect((await api(`/api/v1/payments/${target.payment_no}`, { key: m.liveKey })).status).toBe(404);
    expect((await list(m.liveKey)).data).toEqual([]);
  });
});
