// GET /api/v1/admin/payments: every merchant's payments for operators. Other test files create
// payments at the same time, so this file's payments share a buyer email of their own and each
// check reads within it (or within one of its own merchants).
import { beforeAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_TOKEN } from "../constants";
import { api, createMerchant, createPayment, errorOf, eventually, type PaymentJson, type TestMerchant } from "./helpers";

interface Page {
  object: "list";
  data: PaymentJson[];
  has_more: boolean;
}

const buyer = `buyer-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
const ALL = `/api/v1/admin/payments?livemode=false&customer_email=${encodeURIComponent(buyer)}`;

const list = async (path: string) => {
  const res = await api(path, { key: TEST_ADMIN_TOKEN });
  expect(res.status, path).toBe(200);
  return res.json<Page>();
};
const nos = (page: Page) => page.data.map((p) => p.payment_no);

let a: TestMerchant;
let b: TestMerchant;
/** This file's payments, as the full list answers them: newest first. */
let newestFirst: PaymentJson[];

beforeAll(async () => {
  [a, b] = [await createMerchant(), await createMerchant()];
  // two of A's fail (declined), the rest wait on their buyer; B's too; every status is final for the test
  const made = [
    [a, "pm_sandbox_requires_action"],
    [b, "pm_sandbox_declined"],
    [a, "pm_sandbox_declined"],
    [b, "pm_sandbox_requires_action"],
    [a, "pm_sandbox_requires_action"],
  ] as const;
  for (const [m, method] of made) {
    const res = await createPayment(m.testKey, { customer_email: buyer, payment_method: method });
    expect(res.status).toBe(201);
  }
  const page = await eventually(
    () => list(`${ALL}&limit=100`),
    (p) => p.data.length === made.length && p.data.filter((x) => x.status === "failed").length === 2,
  );
  newestFirst = page.data;
});

describe("GET /api/v1/admin/payments", () => {
  it("lists both merchants' payments, newest first, each as its merchant's own list shows it", async () => {
    expect(newestFirst.map((p) => p.merchant_id).sort()).toEqual([a.id, a.id, a.id, b.id, b.id].sort());
    const order = [...newestFirst].sort((x, y) => y.created_at.localeCompare(x.created_at) || y.payment_no.localeCompare(x.payment_no));
    expect(nos({ data: order } as Page)).toEqual(nos({ data: newestFirst } as Page));
    for (const payment of newestFirst) {
      const key = payment.merchant_id === a.id ? a.testKey : b.testKey;
      const own = await (await api(`/api/v1/payments?order_no=${payment.order_no}`, { key })).json<Page>();
      expect(own.data).toEqual([payment]);
    }
  });

  it("filters by merchant, status and email (any case), alone and together", async () => {
    const of = (f: (p: PaymentJson) => boolean) => newestFirst.filter(f).map((p) => p.payment_no);
    expect(nos(await list(`${ALL}&merchant_id=${a.id}`))).toEqual(of((p) => p.merchant_id === a.id));
    expect(nos(await list(`${ALL}&merchant_id=${b.id}`))).toEqual(of((p) => p.merchant_id === b.id));
    expect(nos(await list(`${ALL}&status=failed`))).toEqual(of((p) => p.status === "failed"));
    expect(nos(await list(`${ALL}&status=failed&merchant_id=${b.id}`))).toEqual(of((p) => p.status === "failed" && p.merchant_id === b.id));
    expect(nos(await list(`${ALL.replace(encodeURIComponent(buyer), encodeURIComponent(buyer.toUpperCase()))}&limit=100`))).toEqual(nos({ data: newestFirst } as Page));
    expect((await list(`${ALL}&merchant_id=mch_nobody`)).data).toEqual([]);
    // a merchant alone: its own payments only, whoever bought them
    const onlyA = await list(`/api/v1/admin/payments?livemode=false&merchant_id=${a.id}&limit=100`);
    expect(new Set(onlyA.data.map((p) => p.merchant_id))).toEqual(new Set([a.id]));
    const one = newestFirst.find((p) => p.merchant_id === a.id)!;
    expect(nos(await list(`/api/v1/admin/payments?livemode=false&merchant_id=${a.id}&order_no=${one.order_no}`))).toEqual([one.payment_no]);
  });

  it("answers the other mode's payments only: test payments are not in the live list", async () => {
    expect((await list(ALL.replace("livemode=false", "livemode=true"))).data).toEqual([]);
  });

  it("pages forwards and backwards with cursors, without gaps or repeats", async () => {
    const first = await list(`${ALL}&limit=2`);
    const second = await list(`${ALL}&limit=2&starting_after=${first.data.at(-1)!.payment_no}`);
    const third = await list(`${ALL}&limit=2&starting_after=${second.data.at(-1)!.payment_no}`);
    expect([first.has_more, second.has_more, third.has_more]).toEqual([true, true, false]);
    expect([...nos(first), ...nos(second), ...nos(third)]).toEqual(nos({ data: newestFirst } as Page));
    const back = await list(`${ALL}&limit=2&ending_before=${third.data[0]!.payment_no}`);
    expect([nos(back), back.has_more]).toEqual([nos(second), true]);
  });

  it("needs livemode, and refuses order_no without merchant_id, naming the parameter", async () => {
    const refused = async (query: string) => errorOf(await api(`/api/v1/admin/payments${query}`, { key: TEST_ADMIN_TOKEN }));
    expect(await refused("")).toMatchObject({ status: 400, code: "parameter_missing", param: "livemode", message: "Missing required parameter: livemode." });
    expect(await refused("?livemode=yes")).toMatchObject({ status: 400, code: "parameter_invalid", param: "livemode" });
    expect(await refused("?livemode=false&order_no=ORD-1")).toMatchObject({ status: 400, code: "parameter_missing", param: "merchant_id" });
    expect(await refused("?livemode=false&status=lost")).toMatchObject({ status: 400, code: "parameter_invalid", param: "status" });
    expect(await refused("?livemode=false&starting_after=PY_nope")).toMatchObject({ status: 400, code: "resource_missing", param: "starting_after" });
    expect(await refused("?livemode=false&colour=red")).toMatchObject({ status: 400, code: "parameter_unknown", param: "colour" });
  });

  it("needs the admin token: none, a wrong one or a merchant key is 401", async () => {
    expect(await errorOf(await api("/api/v1/admin/payments?livemode=false"))).toMatchObject({ status: 401 });
    expect(await errorOf(await api("/api/v1/admin/payments?livemode=false", { key: `${TEST_ADMIN_TOKEN}x` }))).toMatchObject({
      status: 401,
      code: "admin_token_invalid",
    });
    expect((await api("/api/v1/admin/payments?livemode=false", { key: a.testKey })).status).toBe(401);
  });
});
