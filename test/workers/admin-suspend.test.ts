// POST /api/v1/admin/merchants/{id}/suspend and /reactivate, and the operators' merchant search:
// what a suspension does to the merchant's keys, what it must not stop (its notifications), and
// that it touches no other merchant.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { TEST_ADMIN_TOKEN } from "../constants";
import { api, createMerchant, createPayment, errorOf, eventually, type PaymentJson } from "./helpers";
import { newHook } from "./receiver-hooks";

interface MerchantJson {
  id: string;
  object: "merchant";
  name: string;
  email: string;
  status: "active" | "suspended";
  created_at: string;
}

const admin = (path: string, method = "GET") => api(path, { key: TEST_ADMIN_TOKEN, method });
const suspend = (id: string) => admin(`/api/v1/admin/merchants/${id}/suspend`, "POST");
const reactivate = (id: string) => admin(`/api/v1/admin/merchants/${id}/reactivate`, "POST");
const listPayments = (key: string) => api("/api/v1/payments?limit=1", { key });

async function merchantOf(res: Response) {
  expect(res.status).toBe(200);
  return res.json<MerchantJson>();
}

describe("suspending and reactivating a merchant", () => {
  it("refuses the merchant's keys at once with 403 merchant_suspended, and lets them in again on reactivation", async () => {
    const m = await createMerchant();
    // authenticated once: this isolate now caches the keys with the merchant active
    expect((await listPayments(m.testKey)).status).toBe(200);

    const suspended = await merchantOf(await suspend(m.id));
    expect(suspended).toEqual({ ...(await merchantOf(await admin(`/api/v1/admin/merchants/${m.id}`))), status: "suspended" });
    for (const key of [m.testKey, m.liveKey]) {
      expect(await errorOf(await listPayments(key))).toMatchObject({
        status: 403,
        type: "permission_error",
        code: "merchant_suspended",
        message: expect.stringMatching(/merchant account is suspended/),
      });
    }
    expect((await createPayment(m.testKey)).status).toBe(403);

    const reactivated = await merchantOf(await reactivate(m.id));
    expect(reactivated).toEqual({ ...suspended, status: "active" });
    expect((await listPayments(m.testKey)).status).toBe(200);
    expect((await createPayment(m.testKey)).status).toBe(201);
  });

  it("is idempotent: suspending a suspended merchant, or reactivating an active one, answers it as it is", async () => {
    const m = await createMerchant();
    const first = await merchantOf(await suspend(m.id));
    expect(await merchantOf(await suspend(m.id))).toEqual(first);
    expect((await listPayments(m.testKey)).status).toBe(403);
    const active = await merchantOf(await reactivate(m.id));
    expect(await merchantOf(await reactivate(m.id))).toEqual(active);
    expect(active.status).toBe("active");
  });

  it("leaves every other merchant's keys working", async () => {
    const [target, other] = [await createMerchant(), await createMerchant()];
    expect((await listPayments(other.testKey)).status).toBe(200);
    await merchantOf(await suspend(target.id));
    expect((await listPayments(other.testKey)).status).toBe(200);
    expect((await listPayments(other.liveKey)).status).toBe(200);
    expect((await merchantOf(await admin(`/api/v1/admin/merchants/${other.id}`))).status).toBe("active");
  });

  it("still delivers a notification queued before the suspension", async () => {
    const m = await createMerchant();
    // the first attempt fails, so the event is still queued (retried 1 s later in tests) when the merchant is suspended
    const { url, received } = await newHook({ failNext: 1, status: 503 });
    const payment = await (
      await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action", notify_url: url })
    ).json<PaymentJson>();
    await eventually(received, (r) => r.length === 1);

    await merchantOf(await suspend(m.id));
    expect((await listPayments(m.testKey)).status).toBe(403);
    expect(await received()).toHaveLength(1);

    const delivered = await eventually(received, (r) => r.length === 2, 10_000);
    expect(delivered.map((r) => r.status)).toEqual([503, 200]);
    expect(JSON.parse(delivered[1]!.body)).toMatchObject({ type: "payment.requires_action", payment_no: payment.payment_no });
    const event = await eventually(
      () => env.DB.prepare("SELECT delivery_status FROM events WHERE payment_no = ?").bind(payment.payment_no).first<{ delivery_status: string }>(),
      (e) => e?.delivery_status === "delivered",
    );
    expect(event).toEqual({ delivery_status: "delivered" });
    expect((await merchantOf(await admin(`/api/v1/admin/merchants/${m.id}`))).status).toBe("suspended");
  });

  it("answers 404 for an unknown merchant, and 401 without the admin token", async () => {
    for (const res of [await suspend("mch_nope"), await reactivate("mch_nope")]) {
      expect(await errorOf(res)).toMatchObject({ status: 404, code: "resource_missing", message: "No such merchant: 'mch_nope'." });
    }
    const m = await createMerchant();
    expect((await api(`/api/v1/admin/merchants/${m.id}/suspend`, { method: "POST" })).status).toBe(401);
    expect((await api(`/api/v1/admin/merchants/${m.id}/suspend`, { method: "POST", key: m.testKey })).status).toBe(401);
    expect((await listPayments(m.testKey)).status).toBe(200);
  });
});

describe("GET /api/v1/admin/merchants: status and q", () => {
  /** The ids found, sorted: merchants created in the same millisecond are ordered by their random ids. */
  const list = async (query: string) => {
    const res = await admin(`/api/v1/admin/merchants?limit=100&${query}`);
    expect(res.status).toBe(200);
    return (await res.json<{ data: MerchantJson[] }>()).data.map((m) => m.id).sort();
  };
  const ids = (...found: string[]) => found.sort();

  async function ownMerchants() {
    const tag = `Zq${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
    const create = async (name: string, email: string) => {
      const created = await api("/api/v1/admin/merchants", { key: TEST_ADMIN_TOKEN, body: { name, email } });
      expect(created.status).toBe(201);
      return (await created.json<{ merchant: MerchantJson }>()).merchant.id;
    };
    const books = await create(`${tag} Books`, `sales@${tag}.example`);
    const games = await create(`${tag} Games`, `games@${tag}.example`);
    const mail = await create("Other name", `${tag.toLowerCase()}-pay@example.com`);
    const literal = await create(`${tag}_x%`, `literal@${tag}.example`);
    return { tag, books, games, mail, literal };
  }

  it("q finds by the start of the name or the email, in any case, and by the whole id", async () => {
    const { tag, books, games, mail, literal } = await ownMerchants();
    expect(await list(`q=${tag}`)).toEqual(ids(literal, mail, games, books));
    expect(await list(`q=${tag.toUpperCase()}`)).toEqual(ids(literal, mail, games, books));
    expect(await list(`q=${encodeURIComponent(`${tag} b`)}`)).toEqual([books]);
    expect(await list(`q=${tag.toLowerCase()}-PAY`)).toEqual([mail]);
    expect(await list(`q=${books}`)).toEqual([books]);
    // only the start: not a part further in, nor an id's prefix
    expect(await list(`q=Books&email=sales%40${tag}.example`)).toEqual([]);
    expect(await list(`q=${books.slice(0, -1)}`)).toEqual([]);
  });

  it("q takes % and _ for themselves, not as wildcards", async () => {
    const { tag, literal } = await ownMerchants();
    expect(await list(`q=${encodeURIComponent(`${tag}_x%`)}`)).toEqual([literal]);
    expect(await list(`q=${encodeURIComponent(`${tag}%`)}`)).toEqual([]);
    expect(await list(`q=${encodeURIComponent(`${tag.slice(0, -1)}_`)}`)).toEqual([]);
  });

  it("filters by status, alone and with q, as suspensions change it", async () => {
    const { tag, books, games, mail, literal } = await ownMerchants();
    await merchantOf(await suspend(games));
    expect(await list(`q=${tag}&status=suspended`)).toEqual([games]);
    expect(await list(`q=${tag}&status=active`)).toEqual(ids(literal, mail, books));
    expect(await list("status=suspended")).toContain(games);
    expect(await list("status=suspended")).not.toContain(books);
    await merchantOf(await reactivate(games));
    expect(await list(`q=${tag}&status=suspended`)).toEqual([]);
  });

  it("refuses an empty q", async () => {
    expect(await errorOf(await admin("/api/v1/admin/merchants?q=%20"))).toMatchObject({ status: 400, code: "parameter_invalid", param: "q" });
  });
});
