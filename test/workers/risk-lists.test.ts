// Risk lists: each merchant's per mode, values normalised (trimmed, lower-cased), added one at a
// time or imported in bulk (idempotently), removed, paged newest first with values as cursors, and
// read by the rule evaluator through listsFor and its isolate cache.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LIST_CACHE_TTL_MS, listsFor } from "../../shared/risk/lists";
import { api, createMerchant, errorOf, type TestMerchant } from "./helpers";

interface ItemJson {
  object: "risk_list_item";
  list: string;
  value: string;
  created_at: string;
}
interface Page<T> {
  object: "list";
  data: T[];
  has_more: boolean;
}

const itemsOf = (name: string) => `/api/v1/risk/lists/${name}/items`;

async function ok<T>(res: Response, status = 200): Promise<T> {
  expect(res.status, await res.clone().text()).toBe(status);
  return res.json<T>();
}

const add = (key: string, name: string, body: unknown) => api(itemsOf(name), { key, body });
const importValues = async (key: string, name: string, values: string[]) =>
  ok<{ object: string; list: string; added: number; already_present: number }>(await add(key, name, { values }));
const page = async (key: string, name: string, query = "") => ok<Page<ItemJson>>(await api(`${itemsOf(name)}${query}`, { key }));
const valuesOf = (p: Page<ItemJson>) => p.data.map((item) => item.value);
const ownerOf = (m: TestMerchant, livemode = false) => ({ merchantId: m.id, livemode });

describe("adding to a risk list", () => {
  it("stores a value trimmed and lower-cased, answering 201 with the item", async () => {
    const m = await createMerchant();
    const item = await ok<ItemJson>(await add(m.testKey, "blocked_emails", { value: "  Fraud@Example.COM " }), 201);
    expect(item).toEqual({ object: "risk_list_item", list: "blocked_emails", value: "fraud@example.com", created_at: expect.any(String) });
    expect(valuesOf(await page(m.testKey, "blocked_emails"))).toEqual(["fraud@example.com"]);
  });

  it("is idempotent: the same value again (any case, any spaces) answers 200 with the first item, stored once", async () => {
    const m = await createMerchant();
    const first = await ok<ItemJson>(await add(m.testKey, "vip_customers", { value: "cus_42" }), 201);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const again = await ok<ItemJson>(await add(m.testKey, "vip_customers", { value: " CUS_42" }), 200);
    expect(again).toEqual(first);
    expect((await page(m.testKey, "vip_customers")).data).toEqual([first]);
  });

  it("imports many at once, counting those added and those already there (a repeat within the import included)", async () => {
    const m = await createMerchant();
    await ok(await add(m.testKey, "disposable_domains", { value: "mailinator.com" }), 201);
    const result = await importValues(m.testKey, "disposable_domains", ["Mailinator.com", "10minutemail.com", "guerrillamail.com", " 10MinuteMail.com "]);
    expect(result).toEqual({ object: "risk_list_import", list: "disposable_domains", added: 2, already_present: 2 });
    expect(valuesOf(await page(m.testKey, "disposable_domains")).sort()).toEqual(["10minutemail.com", "guerrillamail.com", "mailinator.com"]);
    // the same import again adds nothing
    expect(await importValues(m.testKey, "disposable_domains", ["guerrillamail.com", "10minutemail.com"])).toMatchObject({ added: 0, already_present: 2 });
  });

  it("imports 1000 values in one request", async () => {
    const m = await createMerchant();
    const values = Array.from({ length: 1000 }, (_, i) => `ip-${i}`);
    expect(await importValues(m.testKey, "blocked_ips", values)).toMatchObject({ added: 1000, already_present: 0 });
    const lists = await ok<Page<{ name: string; item_count: number }>>(await api("/api/v1/risk/lists", { key: m.testKey }));
    expect(lists.data).toEqual([{ object: "risk_list", name: "blocked_ips", item_count: 1000 }]);
  });

  it.each([
    ["a list name with capitals", "Blocked", { value: "x" }, "name", "parameter_invalid"],
    ["a list name with a dash", "blocked-emails", { value: "x" }, "name", "parameter_invalid"],
    ["a list name of 41 characters", "a".repeat(41), { value: "x" }, "name", "parameter_invalid"],
    ["a value of spaces only", "l", { value: "   " }, "value", "parameter_invalid"],
    ["a value of 321 characters", "l", { value: "x".repeat(321) }, "value", "parameter_invalid"],
    ["a value that is not a string", "l", { value: 42 }, "value", "parameter_invalid"],
    ["an empty value in an import, by its index", "l", { values: ["a", "b", "c", " "] }, "values[3]", "parameter_invalid"],
    ["a too long value in an import, by its index", "l", { values: ["a", "x".repeat(321)] }, "values[1]", "parameter_invalid"],
    ["an empty import", "l", { values: [] }, "values", "parameter_invalid"],
    ["an import of 1001 values", "l", { values: Array.from({ length: 1001 }, (_, i) => `v${i}`) }, "values", "parameter_invalid"],
    ["both value and values", "l", { value: "a", values: ["b"] }, "values", "parameter_invalid"],
    ["neither value nor values", "l", {}, "value", "parameter_missing"],
    ["an unknown field", "l", { value: "a", note: "x" }, "note", "parameter_unknown"],
  ])("refuses %s with a 400 naming the field, storing nothing", async (_, name, body, param, code) => {
    const m = await createMerchant();
    expect(await errorOf(await add(m.testKey, name, body))).toMatchObject({ status: 400, param, code });
    expect((await ok<Page<unknown>>(await api("/api/v1/risk/lists", { key: m.testKey }))).data).toEqual([]);
  });

  it("takes a value of exactly 320 characters and a list name of exactly 40", async () => {
    const m = await createMerchant();
    const name = "a".repeat(40);
    expect((await ok<ItemJson>(await add(m.testKey, name, { value: "X".repeat(320) }), 201)).value).toBe("x".repeat(320));
  });
});

describe("removing from a risk list", () => {
  it("removes a value named in the path (URL-encoded, any case), then answers 404 for it", async () => {
    const m = await createMerchant();
    const value = "ann+test/1@example.com";
    await importValues(m.testKey, "blocked_emails", [value, "bob@example.com"]);
    const path = `${itemsOf("blocked_emails")}/${encodeURIComponent(" Ann+Test/1@Example.com")}`;
    const res = await api(path, { key: m.testKey, method: "DELETE" });
    expect(await ok(res)).toEqual({ object: "risk_list_item", list: "blocked_emails", value, deleted: true });
    expect(valuesOf(await page(m.testKey, "blocked_emails"))).toEqual(["bob@example.com"]);
    expect(await errorOf(await api(path, { key: m.testKey, method: "DELETE" }))).toMatchObject({ status: 404, code: "resource_missing" });
  });

  it("answers 404 for a list that holds nothing, and a list stops existing with its last value", async () => {
    const m = await createMerchant();
    expect(await errorOf(await api(`${itemsOf("nothing_here")}/x`, { key: m.testKey, method: "DELETE" }))).toMatchObject({ status: 404 });
    await add(m.testKey, "short_lived", { value: "only" });
    await ok(await api(`${itemsOf("short_lived")}/only`, { key: m.testKey, method: "DELETE" }));
    expect((await ok<Page<unknown>>(await api("/api/v1/risk/lists", { key: m.testKey }))).data).toEqual([]);
    expect(await page(m.testKey, "short_lived")).toEqual({ object: "list", data: [], has_more: false });
  });
});

describe("listing risk lists and their values", () => {
  it("lists the merchant's lists by name with their counts", async () => {
    const m = await createMerchant();
    await importValues(m.testKey, "vip_customers", ["cus_1", "cus_2"]);
    await importValues(m.testKey, "blocked_emails", ["a@x.io", "b@x.io", "c@x.io"]);
    const lists = await ok<Page<unknown>>(await api("/api/v1/risk/lists", { key: m.testKey }));
    expect(lists).toEqual({
      object: "list",
      data: [
        { object: "risk_list", name: "blocked_emails", item_count: 3 },
        { object: "risk_list", name: "vip_customers", item_count: 2 },
      ],
      has_more: false,
    });
  });

  it("pages newest first, forward with starting_after and back with ending_before", async () => {
    const m = await createMerchant();
    // one import (one millisecond: reverse order of value), then three values added one by one
    await importValues(m.testKey, "paged", Array.from({ length: 10 }, (_, i) => `a0${i}`));
    for (const value of ["z0", "z1", "z2"]) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      await ok(await add(m.testKey, "paged", { value }), 201);
    }
    const newestFirst = ["z2", "z1", "z0", "a09", "a08", "a07", "a06", "a05", "a04", "a03", "a02", "a01", "a00"];
    expect(valuesOf(await page(m.testKey, "paged", "?limit=100"))).toEqual(newestFirst);

    const forward: string[][] = [];
    let cursor: string | undefined;
    for (;;) {
      const p = await page(m.testKey, "paged", `?limit=4${cursor ? `&starting_after=${cursor}` : ""}`);
      forward.push(valuesOf(p));
      if (!p.has_more) break;
      cursor = p.data.at(-1)!.value;
    }
    expect(forward).toEqual([["z2", "z1", "z0", "a09"], ["a08", "a07", "a06", "a05"], ["a04", "a03", "a02", "a01"], ["a00"]]);

    const back: string[][] = [];
    cursor = "A00"; // a cursor is a value, normalised like one
    for (;;) {
      const p = await page(m.testKey, "paged", `?limit=4&ending_before=${cursor}`);
      back.push(valuesOf(p));
      if (!p.has_more) break;
      cursor = p.data[0]!.value;
    }
    expect(back).toEqual([["a04", "a03", "a02", "a01"], ["a08", "a07", "a06", "a05"], ["z2", "z1", "z0", "a09"]]);
  });

  it("refuses a cursor the list does not hold, and both cursors at once", async () => {
    const m = await createMerchant();
    await importValues(m.testKey, "one", ["a"]);
    await importValues(m.testKey, "two", ["b"]);
    expect(await errorOf(await api(`${itemsOf("one")}?starting_after=b`, { key: m.testKey }))).toMatchObject({
      status: 400,
      code: "resource_missing",
      param: "starting_after",
    });
    expect(await errorOf(await api(`${itemsOf("one")}?starting_after=a&ending_before=a`, { key: m.testKey }))).toMatchObject({
      status: 400,
      param: "ending_before",
    });
    expect(await errorOf(await api(`${itemsOf("one")}?limit=101`, { key: m.testKey }))).toMatchObject({ status: 400, param: "limit" });
  });
});

describe("isolation between merchants and modes", () => {
  it("never shows, pages from or removes another merchant's or mode's values", async () => {
    const [a, b] = [await createMerchant(), await createMerchant()];
    await importValues(a.testKey, "blocked_emails", ["a-test@example.com"]);
    await importValues(a.liveKey, "blocked_emails", ["a-live@example.com"]);
    await importValues(b.testKey, "blocked_emails", ["b-test@example.com"]);

    expect(valuesOf(await page(a.testKey, "blocked_emails"))).toEqual(["a-test@example.com"]);
    expect(valuesOf(await page(a.liveKey, "blocked_emails"))).toEqual(["a-live@example.com"]);
    expect(valuesOf(await page(b.testKey, "blocked_emails"))).toEqual(["b-test@example.com"]);
    expect(await page(b.liveKey, "blocked_emails")).toEqual({ object: "list", data: [], has_more: false });
    for (const key of [a.testKey, a.liveKey, b.testKey]) {
      expect((await ok<Page<{ item_count: number }>>(await api("/api/v1/risk/lists", { key }))).data).toEqual([
        { object: "risk_list", name: "blocked_emails", item_count: 1 },
      ]);
    }

    // another's value is no cursor and cannot be removed
    expect(await errorOf(await api(`${itemsOf("blocked_emails")}?starting_after=a-test@example.com`, { key: b.testKey }))).toMatchObject({
      status: 400,
      code: "resource_missing",
    });
    for (const key of [b.testKey, a.liveKey]) {
      const res = await api(`${itemsOf("blocked_emails")}/a-test@example.com`, { key, method: "DELETE" });
      expect(await errorOf(res)).toMatchObject({ status: 404 });
    }
    expect(valuesOf(await page(a.testKey, "blocked_emails"))).toEqual(["a-test@example.com"]);

    // the same value in another merchant's list is that merchant's own, added anew
    expect((await ok<ItemJson>(await add(b.testKey, "blocked_emails", { value: "a-test@example.com" }), 201)).value).toBe("a-test@example.com");

    const lists = ["blocked_emails"];
    expect(await listsFor(env, ownerOf(a), lists)).toEqual(new Map([["blocked_emails", new Set(["a-test@example.com"])]]));
    expect(await listsFor(env, ownerOf(a, true), lists)).toEqual(new Map([["blocked_emails", new Set(["a-live@example.com"])]]));
    expect(await listsFor(env, ownerOf(b, true), lists)).toEqual(new Map([["blocked_emails", new Set()]]));
  });

  it("needs an API key", async () => {
    expect(await errorOf(await api("/api/v1/risk/lists"))).toMatchObject({ status: 401 });
    expect(await errorOf(await api(itemsOf("x"), { body: { value: "a" } }))).toMatchObject({ status: 401 });
  });
});

/** How many D1 statements `fn` prepares (the Worker's included: it runs in this isolate). */
async function statementsDuring(fn: () => Promise<unknown>): Promise<number> {
  const database = Object.getPrototypeOf(env.DB);
  const { prepare } = database;
  let n = 0;
  database.prepare = function (this: D1Database, sql: string) {
    n++;
    return prepare.call(this, sql);
  };
  try {
    await fn();
  } finally {
    database.prepare = prepare;
  }
  return n;
}

describe("listsFor, the rule evaluator's read", () => {
  it("reads only the named lists, all in one statement, an empty set for a list with no values", async () => {
    const m = await createMerchant();
    await importValues(m.testKey, "blocked_emails", ["x@example.com", "y@example.com"]);
    await importValues(m.testKey, "disposable_domains", ["mailinator.com"]);
    await importValues(m.testKey, "not_asked", ["z"]);
    let lists = new Map<string, Set<string>>();
    const statements = await statementsDuring(async () => {
      lists = await listsFor(env, ownerOf(m), ["blocked_emails", "disposable_domains", "never_filled", "blocked_emails"]);
    });
    expect(statements).toBe(1);
    expect(lists).toEqual(
      new Map([
        ["blocked_emails", new Set(["x@example.com", "y@example.com"])],
        ["disposable_domains", new Set(["mailinator.com"])],
        ["never_filled", new Set()],
      ]),
    );
  });

  it("caches each list for a few seconds, and a write through the API evicts it at once", async () => {
    const m = await createMerchant();
    const owner = ownerOf(m);
    await importValues(m.testKey, "cached", ["a"]);
    const now = Date.now();
    expect((await listsFor(env, owner, ["cached"], now)).get("cached")).toEqual(new Set(["a"]));

    // a write another isolate made (straight into D1): this one sees it once the entry expires
    await env.DB.prepare("INSERT INTO risk_list_items VALUES (?, 0, 'cached', 'b', ?)").bind(m.id, now).run();
    expect(await statementsDuring(async () => expect((await listsFor(env, owner, ["cached"], now + 1)).get("cached")).toEqual(new Set(["a"])))).toBe(0);
    expect((await listsFor(env, owner, ["cached"], now + LIST_CACHE_TTL_MS)).get("cached")).toEqual(new Set(["a", "b"]));

    // writes in this isolate: seen at once, well within the TTL
    await importValues(m.testKey, "cached", ["c"]);
    expect((await listsFor(env, owner, ["cached"], now + LIST_CACHE_TTL_MS + 1)).get("cached")).toEqual(new Set(["a", "b", "c"]));
    await ok(await api(`${itemsOf("cached")}/a`, { key: m.testKey, method: "DELETE" }));
    expect((await listsFor(env, owner, ["cached"], now + LIST_CACHE_TTL_MS + 2)).get("cached")).toEqual(new Set(["b", "c"]));
  });
});
