// The routing and risk pages in Chromium against the Worker: a routing configuration edited into a
// new version through the JSON editor (the API's 400 and its path shown first), a dry run of it,
// its activation; a review rule added in the page, a payment it flags approved from the queue; the
// rule parser's message under a predicate with a typo; lists; and what a reader who is not an owner
// is offered. Each checks the API's state as well as the page.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MerchantOwner, PASSWORD, type Platform, screenshot, signIn, startPlatform } from "./harness";

let platform: Platform;
let owner: MerchantOwner;

beforeAll(async () => {
  platform = await startPlatform();
  owner = await platform.createMerchantWithOwner();
});
afterAll(() => platform?.stop());

/** The merchant's API, with its test key, answering JSON. */
async function merchantApi<T>(path: string, body?: unknown, method?: string): Promise<{ status: number; body: T }> {
  const res = await platform.api(path, { key: owner.testKey, body, method });
  return { status: res.status, body: (await res.json()) as T };
}

/** Polls `read` until `done` holds (the API's projections trail the payments by a moment). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface Version {
  id: string;
  version: number;
  name: string;
  active: boolean;
  config: { name: string; rules: Array<{ name: string; then: unknown }>; default?: unknown };
}

const V1 = {
  name: "eu-split",
  rules: [
    {
      name: "big EUR",
      when: { all: [{ field: "currency", op: "eq", value: "EUR" }, { field: "amount", op: "gte", value: 100000 }] },
      then: { priority: ["btcpay", "sandbox"] },
    },
  ],
  default: { priority: ["sandbox"] },
};

/** The editor's text replaced, and saved. */
async function saveEditor(page: Page, text: string) {
  await page.getByLabel("Configuration (JSON)").fill(text);
  await page.getByRole("button", { name: "Save as a new version" }).click();
}

describe("the routing pages", () => {
  let v1: Version;
  let v2Id: string;

  beforeAll(async () => {
    const made = await merchantApi<Version>("/api/v1/routing/configs", V1);
    expect(made.status).toBe(201);
    v1 = made.body;
    expect((await merchantApi(`/api/v1/routing/configs/${v1.id}/activate`, undefined, "POST")).status).toBe(200);
    // payments through the active version, so that health has figures to show
    for (let i = 1; i <= 3; i++) {
      const paid = await merchantApi("/api/v1/payments", { order_no: `routing-health-${i}`, amount: 2000, currency: "USD" });
      expect(paid.status).toBe(201);
    }
    await eventually(
      () => merchantApi<{ data: Array<{ channel: string; attempts: number }> }>("/api/v1/routing/health"),
      ({ body }) => body.data.some((h) => h.channel === "sandbox" && h.attempts === 3),
    );
  });

  it("lists the versions with the active one marked, and each channel's health", async () => {
    const { page, errors } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    await page.getByRole("link", { name: "Routing", exact: true }).click();

    const versions = page.getByRole("table", { name: /^Versions of your test configuration/ });
    const row = versions.locator("tbody tr").filter({ hasText: "Version 1" });
    await row.waitFor();
    expect(await row.getByText("Active").isVisible()).toBe(true);
    const health = page.getByRole("table", { name: "Per channel" });
    const sandbox = health.locator("tbody tr").filter({ hasText: "sandbox" });
    await sandbox.waitFor();
    // attempts, and the circuit said in words
    expect(await sandbox.locator("td").nth(1).textContent()).toBe("3");
    expect(await sandbox.getByText("Closed").isVisible()).toBe(true);
    await page.getByRole("figure").filter({ hasText: "Success rate by channel" }).locator("canvas").waitFor();
    await screenshot(page, "routing");
    expect(errors).toEqual([]);
  });

  it("edits a version into a new one: bad JSON and a refused field are said at the editor, with the API's path", async () => {
    const { page, errors } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    await page.goto("/dashboard/routing");
    await page.getByRole("link", { name: "Version 1" }).click();
    await page.getByRole("heading", { name: "Version 1: eu-split" }).waitFor();
    const rules = page.getByRole("table", { name: /^Rules, tried in order/ });
    expect(await rules.locator("tbody tr").first().textContent()).toContain("currency is EUR and amount ≥ 100000");

    await page.getByRole("button", { name: "Edit" }).click();
    const editor = page.getByLabel("Configuration (JSON)");
    // pre-filled with this version's configuration, as stored (defaults filled in)
    expect(JSON.parse(await editor.inputValue())).toEqual(v1.config);

    await saveEditor(page, '{"name": "eu-split",');
    await page.getByRole("alert").filter({ hasText: "This is not valid JSON" }).waitFor();

    const refused = structuredClone(V1);
    refused.rules[0]!.when.all[0]!.op = "lt";
    await saveEditor(page, JSON.stringify(refused, null, 2));
    const alert = page.getByRole("alert").filter({ hasText: "lt does not apply to currency" });
    await alert.waitFor();
    expect(await alert.textContent()).toContain("Field: rules[0].when.all[0].op");
    expect(await editor.getAttribute("aria-invalid")).toBe("true");
    // the error is read with the field it names
    expect(await editor.getAttribute("aria-describedby")).toContain(await alert.locator("..").getAttribute("id"));
    expect((await merchantApi<{ data: Version[] }>("/api/v1/routing/configs")).body.data).toHaveLength(1);

    const edited = { ...V1, name: "eu-split 2", default: { split: [{ weight: 70, priority: ["sandbox"] }, { weight: 30, priority: ["sandbox", "btcpay"] }] } };
    await saveEditor(page, JSON.stringify(edited, null, 2));
    await page.getByRole("heading", { name: "Version 2: eu-split 2" }).waitFor();
    await page.getByText("Saved as version 2.").waitFor();
    v2Id = new URL(page.url()).pathname.split("/").at(-1)!;
    const stored = await merchantApi<Version>(`/api/v1/routing/configs/${v2Id}`);
    expect(stored.body).toMatchObject({ version: 2, name: "eu-split 2", active: false, config: { default: edited.default } });
    expect(errors).toEqual([]);
  });

  it("evaluates a version: the channels in order, those skipped with why, and the one chosen", async () => {
    const { page, errors } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    await page.goto(`/dashboard/routing/${v2Id}`);
    await page.getByRole("heading", { name: "Version 2: eu-split 2" }).waitFor();
    await page.getByLabel("Amount (minor units)").fill("150000");
    await page.getByLabel("Currency").fill("EUR");
    await page.getByRole("button", { name: "Evaluate" }).click();

    const result = page.getByRole("region", { name: "Where this payment would go" });
    await result.waitFor();
    const asked = await merchantApi<{ chosen: string; rule: string; skipped: Array<{ channel: string; reason: string }> }>("/api/v1/routing/evaluate", {
      amount: 150000,
      currency: "EUR",
      config: (await merchantApi<Version>(`/api/v1/routing/configs/${v2Id}`)).body.config,
    });
    expect(asked.body).toMatchObject({ chosen: "sandbox", rule: "big EUR" });
    expect(asked.body.skipped.map((s) => s.channel)).toEqual(["btcpay"]);
    expect(await result.getByText("Chosen channel: sandbox").isVisible()).toBe(true);
    expect(await result.getByText("Rule “big EUR”").isVisible()).toBe(true);
    const skipped = result.getByRole("table", { name: "Skipped channels" }).locator("tbody tr");
    expect(await skipped.textContent()).toBe(`btcpay${asked.body.skipped[0]!.reason}`);
    // the version is not active: the dry run tried it all the same, and stored nothing
    expect((await merchantApi<Version>(`/api/v1/routing/configs/${v2Id}`)).body.active).toBe(false);
    await screenshot(page, "routing-config");
    expect(errors).toEqual([]);
  });

  it("activates a version after a confirm: the API then reports it active, and the one before not", async () => {
    const { page, errors } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    await page.goto(`/dashboard/routing/${v2Id}`);
    await page.getByRole("button", { name: "Activate version 2" }).click();
    const dialog = page.getByRole("dialog", { name: "Activate version 2?" });
    await dialog.getByRole("button", { name: "Activate version 2" }).click();

    await page.getByText("Version 2 is active: new test payments are routed by it.").waitFor();
    await page.locator("main header").getByText("Active", { exact: true }).waitFor();
    expect(await page.getByRole("button", { name: "Activate version 2" }).count()).toBe(0);
    const versions = (await merchantApi<{ data: Version[] }>("/api/v1/routing/configs")).body.data;
    expect(versions.map((v) => [v.version, v.active])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect(errors).toEqual([]);
  });
});

interface Rule {
  id: string;
  name: string;
  action: string;
  predicate: string;
  shadow: boolean;
  position: number;
}

/** Opens the risk rules page and fills in the Add rule form (without sending it). */
async function fillNewRule(page: Page, rule: { name: string; action: string; predicate: string }) {
  await page.goto("/dashboard/risk");
  await page.getByRole("button", { name: "Add rule" }).click();
  await page.getByLabel("Name").fill(rule.name);
  await page.getByLabel("Action").selectOption(rule.action);
  await page.getByLabel("Predicate").fill(rule.predicate);
}

describe("the risk pages", () => {
  it("adds a review rule, tries it, and approves the payment it flags from the queue: the review closes", async () => {
    const { page, errors } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    await fillNewRule(page, { name: "gift orders", action: "review", predicate: "::gift:: = 'yes'" });
    await page.getByRole("button", { name: "Add rule" }).click();
    await page.getByText("Added “gift orders”").waitFor();
    const reviewRules = page.getByRole("table", { name: "Review rules, tried last" });
    await reviewRules.locator("tbody tr").filter({ hasText: "gift orders" }).waitFor();
    const stored = (await merchantApi<{ data: Rule[] }>("/api/v1/risk/rules")).body.data;
    expect(stored).toEqual([expect.objectContaining({ name: "gift orders", action: "review", predicate: "::gift:: = 'yes'", shadow: false })]);

    // the dry run: the rule decides, and the facts it read are shown (the order number picks the
    // leg of the active routing version's split, as a create's would)
    await page.getByLabel("Order number (optional)").fill("gift-dry-run");
    await page.getByLabel("Metadata (optional)").fill("gift=yes");
    await page.getByRole("button", { name: "Evaluate" }).click();
    const decision = page.getByRole("region", { name: "What the rules would decide" });
    await decision.getByText("gift orders (yours)").waitFor();
    expect(await decision.locator(".controls-verdict").textContent()).toBe("Action: Review");
    const facts = decision.getByRole("table", { name: "Facts the rules read" });
    expect(await facts.locator("tbody tr").filter({ hasText: "::gift::" }).textContent()).toBe("::gift::yes");
    await screenshot(page, "risk-rules");

    const paid = await merchantApi<{ payment_no: string; review: { status: string } | null }>("/api/v1/payments", {
      order_no: "gift-1",
      amount: 4200,
      currency: "USD",
      customer_email: "ann@example.com",
      metadata: { gift: "yes" },
    });
    expect(paid.status).toBe(201);
    expect(paid.body.review?.status).toBe("open");
    const paymentNo = paid.body.payment_no;

    await page.getByRole("link", { name: "Review queue" }).click();
    const queue = page.getByRole("table", { name: "Open reviews, newest first" });
    const row = queue.locator("tbody tr").filter({ hasText: paymentNo });
    await row.waitFor();
    expect(await row.getByRole("link", { name: paymentNo }).getAttribute("href")).toBe(`/dashboard/payments/${paymentNo}`);
    expect(await row.textContent()).toContain("ann@example.com");
    await screenshot(page, "risk-reviews");

    await row.getByRole("button", { name: `Approve ${paymentNo}` }).click();
    const dialog = page.getByRole("dialog", { name: "Approve this payment?" });
    await dialog.getByRole("button", { name: "Approve" }).click();
    await page.getByText(`Approved ${paymentNo}: its review is closed.`).waitFor();
    await queue.getByText("No payments are waiting for review.").waitFor();

    const payment = await merchantApi<{ review: { status: string; closed_at: string | null } }>(`/api/v1/payments/${paymentNo}`);
    expect(payment.body.review).toMatchObject({ status: "approved", closed_at: expect.any(String) });
    expect((await merchantApi<{ data: unknown[] }>("/api/v1/risk/reviews")).body.data).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("rejects a flagged payment after a confirm: the API shows the review rejected", async () => {
    const paid = await merchantApi<{ payment_no: string }>("/api/v1/payments", { order_no: "gift-2", amount: 900, currency: "USD", metadata: { gift: "yes" } });
    expect(paid.status).toBe(201);
    const paymentNo = paid.body.payment_no;
    const { page, errors } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    await page.goto("/dashboard/risk/reviews");

    await page.getByRole("button", { name: `Reject ${paymentNo}` }).click();
    const dialog = page.getByRole("dialog", { name: "Reject this payment?" });
    expect(await dialog.textContent()).toContain("refunded in full");
    await dialog.getByRole("button", { name: "Reject" }).click();
    await page.getByText(`Rejected ${paymentNo}: its review is closed`).waitFor();

    const payment = await merchantApi<{ review: { status: string } }>(`/api/v1/payments/${paymentNo}`);
    expect(payment.body.review.status).toBe("rejected");
    expect(errors).toEqual([]);
  });

  it("shows the parser's message, with line and column, under a predicate with a typo; nothing is stored", async () => {
    const { page, errors } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    const before = (await merchantApi<{ data: Rule[] }>("/api/v1/risk/rules")).body.data;
    await fillNewRule(page, { name: "typo", action: "block", predicate: ":amout: > 100" });
    await page.getByRole("button", { name: "Add rule" }).click();

    const alert = page.getByRole("alert").filter({ hasText: "Unknown attribute :amout: at line 1, column 1; did you mean :amount:?" });
    await alert.waitFor();
    const predicate = page.getByLabel("Predicate");
    expect(await predicate.getAttribute("aria-invalid")).toBe("true");
    expect(await predicate.getAttribute("aria-describedby")).toContain(await alert.locator("..").getAttribute("id"));
    expect((await merchantApi<{ data: Rule[] }>("/api/v1/risk/rules")).body.data).toEqual(before);

    // corrected, it is stored
    await predicate.fill(":amount: > 100");
    await page.getByRole("button", { name: "Add rule" }).click();
    await page.getByText("Added “typo”").waitFor();
    expect((await merchantApi<{ data: Rule[] }>("/api/v1/risk/rules")).body.data.map((r) => r.name)).toContain("typo");
    expect(errors).toEqual([]);
  });

  it("moves a rule within its action and puts one in shadow: the API holds the new order and flag", async () => {
    for (const name of ["first", "second"]) {
      expect((await merchantApi("/api/v1/risk/rules", { name, action: "block", predicate: `::who:: = '${name}'` })).status).toBe(201);
    }
    const { page, errors } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    await page.goto("/dashboard/risk");
    const block = page.getByRole("table", { name: "Block rules, tried next" });
    await block.locator("tbody tr").filter({ hasText: "second" }).waitFor();
    const names = () => block.locator("tbody tr td:nth-child(2)").allTextContents();
    const before = await names();

    await page.getByRole("button", { name: "Move “second” up" }).click();
    await page.getByText("Moved “second” up.").waitFor();
    const i = before.indexOf("second");
    const expected = [...before.slice(0, i - 1), "second", before[i - 1], ...before.slice(i + 1)];
    // the table follows once the rules are read again
    const after = await eventually(names, (shown) => shown.join() === expected.join());
    expect(after).toEqual(expected);
    const blockRules = (await merchantApi<{ data: Rule[] }>("/api/v1/risk/rules")).body.data.filter((r) => r.action === "block");
    expect(blockRules.map((r) => r.name)).toEqual(after);

    await page.getByRole("button", { name: "Shadow “first”" }).click();
    await page.getByText("“first” runs in shadow now").waitFor();
    expect(await block.locator("tbody tr").filter({ hasText: "first" }).getByText("Shadow", { exact: true }).isVisible()).toBe(true);
    const first = (await merchantApi<{ data: Rule[] }>("/api/v1/risk/rules")).body.data.find((r) => r.name === "first");
    expect(first?.shadow).toBe(true);
    expect(errors).toEqual([]);
  });

  it("imports values into a list, pages through them and removes one", async () => {
    const { page, errors } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    await page.goto("/dashboard/risk/lists");
    await page.getByLabel("List name").fill("disposable_domains");
    await page.getByLabel("Values, one a line").fill("mailinator.com\n10minutemail.com\nMailinator.com");
    await page.getByRole("button", { name: "Add values" }).click();
    await page.getByText("Added 2 to @disposable_domains; 1 already there.").waitFor();

    const values = page.getByRole("table", { name: "@disposable_domains, newest first" });
    await values.locator("tbody tr").filter({ hasText: "10minutemail.com" }).waitFor();
    expect(await values.locator("tbody tr").count()).toBe(2);
    await page.getByRole("button", { name: "Remove mailinator.com" }).click();
    await page.getByRole("dialog", { name: "Remove this value?" }).getByRole("button", { name: "Remove value" }).click();
    await page.getByText("Removed mailinator.com from @disposable_domains.").waitFor();

    const items = await merchantApi<{ data: Array<{ value: string }> }>("/api/v1/risk/lists/disposable_domains/items");
    expect(items.body.data.map((i) => i.value)).toEqual(["10minutemail.com"]);
    const lists = page.getByRole("table", { name: "Your lists" }).locator("tbody tr");
    expect(await eventually(() => lists.textContent(), (text) => text === "@disposable_domains1")).toBe("@disposable_domains1");
    expect(errors).toEqual([]);
  });
});

describe("at phone width", () => {
  it("the routing editor, its error and the risk pages fit 390px: nothing scrolls the page sideways", async () => {
    const { page, errors } = await platform.newPage({ width: 390, height: 844 });
    await signIn(page, owner.email, owner.password);
    const pageWidth = () => page.evaluate<number>("document.documentElement.scrollWidth");

    await page.goto("/dashboard/routing");
    await page.getByRole("table", { name: "Per channel" }).waitFor();
    expect(await pageWidth()).toBeLessThanOrEqual(390);
    await page.getByRole("link", { name: "Version 1" }).click();
    await page.getByRole("button", { name: "Edit" }).click();
    await saveEditor(page, '{"name": ""}');
    await page.getByRole("alert").filter({ hasText: "name" }).waitFor();
    expect(await pageWidth()).toBeLessThanOrEqual(390);

    for (const path of ["/dashboard/risk", "/dashboard/risk/lists", "/dashboard/risk/reviews"]) {
      await page.goto(path);
      await page.getByRole("table").first().waitFor();
      expect(await pageWidth(), path).toBeLessThanOrEqual(390);
    }
    expect(errors).toEqual([]);
  });
});

describe("a reader who is not an owner", () => {
  it("sees routing and risk and may try a payment (a dry run reads), but is offered no change", async () => {
    const email = "analyst@browser.test";
    const made = await platform.adminApi(`/api/v1/admin/merchants/${owner.merchantId}/users`, { body: { email, password: PASSWORD, role: "analyst" } });
    expect(made.status).toBe(201);
    const { page, errors } = await platform.newPage();
    await signIn(page, email, PASSWORD);

    await page.goto("/dashboard/routing");
    await page.getByRole("table", { name: /^Versions of your test configuration/ }).locator("tbody tr").first().waitFor();
    expect(await page.getByRole("button", { name: "New version" }).count()).toBe(0);
    await page.getByRole("link", { name: "Version 2" }).click();
    await page.getByRole("heading", { name: "Version 2: eu-split 2" }).waitFor();
    expect(await page.getByRole("button", { name: /^(Edit|Activate)/ }).count()).toBe(0);
    await page.getByLabel("Amount (minor units)").fill("150000");
    await page.getByLabel("Currency").fill("EUR");
    await page.getByRole("button", { name: "Evaluate" }).click();
    await page.getByRole("region", { name: "Where this payment would go" }).getByText("Chosen channel: sandbox").waitFor();

    await page.goto("/dashboard/risk");
    await page.getByRole("table", { name: "Review rules, tried last" }).locator("tbody tr").first().waitFor();
    expect(await page.getByRole("button", { name: /^(Add rule|Remove|Edit)/ }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Evaluate" }).count()).toBe(1);
    expect(await page.getByRole("checkbox", { name: "Run the built-in rules" }).isDisabled()).toBe(true);
    expect(errors).toEqual([]);
  });
});
