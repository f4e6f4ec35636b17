// The operators' console in Chromium against the Worker: operators (made with the admin token) sign
// in with the same form as merchants and work every merchant through /api/v1/admin/*, each change
// checked where it lands, through the API.
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MerchantOwner, PASSWORD, type Platform, screenshot, signIn, startPlatform } from "./harness";

interface PaymentJson {
  payment_no: string;
  merchant_id: string;
  amount: number;
  currency: string;
  status: string;
}

interface ListJson<T> {
  data: T[];
  has_more: boolean;
}

const admin = { email: "admin@console.test", password: PASSWORD };
const support = { email: "support@console.test", password: PASSWORD };

let platform: Platform;
/** The merchant the operators look after; `other` has payments of its own beside it. */
let merchant: MerchantOwner;
let other: MerchantOwner;
let orders = 0;

async function ok<T>(res: Response, status = 200): Promise<T> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

async function createPayment(owner: MerchantOwner, paymentMethod: string, amount: number, email: string) {
  const body = { order_no: `ORD-CONSOLE-${++orders}`, amount, currency: "USD", payment_method: paymentMethod, customer_email: email };
  return ok<PaymentJson>(await platform.api("/api/v1/payments", { key: owner.testKey, body }), 201);
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, tries = 100): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const testPayments = () =>
  platform.adminApi("/api/v1/admin/payments?livemode=false&limit=100").then((res) => ok<ListJson<PaymentJson>>(res));

/**
 * The merchant's notification receiver: answers 503 while `failing`, else 200, and keeps the event
 * ids it was sent. With one retry (NOTIFY_RETRY_SCHEDULE "1"), an event it refuses twice is parked
 * as a dead letter.
 */
const receiver = { failing: true, received: [] as string[], url: "" };
let receiverServer: Server;

async function startReceiver() {
  receiverServer = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (!receiver.failing) receiver.received.push(String(req.headers["x-event-id"]));
      res.writeHead(receiver.failing ? 503 : 200).end();
    });
  });
  await new Promise<void>((resolve) => receiverServer.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(receiverServer.address() as AddressInfo).port}/notify`;
}

interface DeadLetterJson {
  id: string;
  message_id: string;
  body: { eventId: string; paymentNo?: string };
  replayed_at: string | null;
}

const deadLetters = async () =>
  (await ok<ListJson<DeadLetterJson>>(await platform.adminApi("/api/v1/admin/dead-letters?queue=notifications&limit=100"))).data;

/** A payment whose notification the merchant refused until the platform gave up: its dead letter. */
async function parkNotification() {
  receiver.failing = true;
  const body = { order_no: `ORD-CONSOLE-${++orders}`, amount: 2500, currency: "USD", payment_method: "pm_sandbox_success", notify_url: receiver.url };
  const payment = await ok<PaymentJson>(await platform.api("/api/v1/payments", { key: merchant.testKey, body }), 201);
  const letters = await until(deadLetters, (found) => found.some((d) => d.body.paymentNo === payment.payment_no), "the notification to be parked", 300);
  return letters.find((d) => d.body.paymentNo === payment.payment_no)!;
}

async function signInAs(operator: { email: string; password: string }) {
  const opened = await platform.newPage();
  await signIn(opened.page, operator.email, operator.password);
  return opened;
}

/** The rows of the table its caption names. */
const rowsOf = (page: Page, caption: string | RegExp) => page.getByRole("table", { name: caption }).locator("tbody tr");

beforeAll(async () => {
  // one retry, a second after the first try: a refused notification is parked within seconds
  platform = await startPlatform({ vars: { NOTIFY_RETRY_SCHEDULE: "1", NOTIFY_TIMEOUT_MS: "2000" } });
  await startReceiver();
  await ok(await platform.adminApi("/api/v1/admin/operators", { body: { ...admin, role: "admin" } }), 201);
  await ok(await platform.adminApi("/api/v1/admin/operators", { body: { ...support, role: "support" } }), 201);
  merchant = await platform.createMerchantWithOwner();
  other = await platform.createMerchantWithOwner();
  await platform.createMerchantWithOwner();

  // a routing configuration in use, so the merchant's page has one to show
  const config = await ok<{ id: string }>(
    await platform.api("/api/v1/routing/configs", {
      key: merchant.testKey,
      body: { name: "sandbox first", rules: [{ name: "big orders", when: { field: "amount", op: "gte", value: 50000 }, then: { priority: ["sandbox"] } }], default: { priority: ["sandbox"] } },
    }),
    201,
  );
  await ok(await platform.api(`/api/v1/routing/configs/${config.id}/activate`, { key: merchant.testKey, method: "POST" }));

  // payments that settle both ways, at both merchants
  for (const [owner, method, amount] of [
    [merchant, "pm_sandbox_success", 4200],
    [merchant, "pm_sandbox_success", 129900],
    [merchant, "pm_sandbox_declined", 1500],
    [other, "pm_sandbox_success", 8800],
    [other, "pm_sandbox_declined", 3000],
  ] as const) {
    await createPayment(owner, method, amount, `buyer-${orders + 1}@buyer.test`);
  }
  await until(testPayments, (list) => list.data.every((p) => p.status === "succeeded" || p.status === "failed"), "the payments to settle");
});
afterAll(async () => {
  await platform?.stop();
  receiverServer?.close();
});

describe("merchants", () => {
  it("an admin lands on Merchants, finds a merchant, suspends it (its key is refused) and reactivates it; the audit log lists the suspend under the admin's email", async () => {
    const { page, errors } = await signInAs(admin);
    expect(new URL(page.url()).pathname).toBe("/dashboard/console");
    expect(await page.getByRole("link", { name: "Merchants" }).getAttribute("aria-current")).toBe("page");
    await rowsOf(page, "Merchants, newest first").nth(2).waitFor();
    await screenshot(page, "console-merchants");

    // a name's start: "Browser Books 1" is no other merchant's
    await page.getByRole("searchbox", { name: "Search" }).fill(merchant.merchantName);
    await page.getByRole("button", { name: "Search", exact: true }).click();
    const rows = rowsOf(page, "Merchants, newest first");
    await rows.filter({ hasText: merchant.merchantName }).waitFor();
    await expect.poll(() => rows.count()).toBe(1);

    await rows.getByRole("link", { name: merchant.merchantName }).click();
    const heading = page.getByRole("heading", { level: 1 });
    await heading.filter({ hasText: merchant.merchantName }).waitFor();
    expect(await heading.textContent()).toContain("Active");
    await rowsOf(page, "People who sign in to this merchant's dashboard").filter({ hasText: merchant.email }).waitFor();
    await rowsOf(page, "Routing configuration versions, test mode").filter({ hasText: "sandbox first" }).waitFor();
    await page.getByRole("heading", { name: "In use: version 1, “sandbox first”" }).waitFor();
    await rowsOf(page, "Per channel").filter({ hasText: "sandbox" }).waitFor();
    await screenshot(page, "console-merchant");

    await page.getByRole("button", { name: "Suspend" }).click();
    const suspendDialog = page.getByRole("dialog", { name: `Suspend ${merchant.merchantName}?` });
    await suspendDialog.getByRole("button", { name: "Suspend merchant" }).click();
    await heading.filter({ hasText: "Suspended" }).waitFor();
    await page.getByRole("status").filter({ hasText: `${merchant.merchantName} is suspended` }).waitFor();
    const refused = await platform.api("/api/v1/payments", { key: merchant.testKey });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("merchant_suspended");
    // another merchant's key is untouched
    expect((await platform.api("/api/v1/payments", { key: other.testKey })).status).toBe(200);

    await page.getByRole("button", { name: "Reactivate" }).click();
    await page.getByRole("dialog", { name: `Reactivate ${merchant.merchantName}?` }).getByRole("button", { name: "Reactivate merchant" }).click();
    await heading.filter({ hasText: "Active" }).waitFor();
    expect((await platform.api("/api/v1/payments", { key: merchant.testKey })).status).toBe(200);

    await page.getByRole("link", { name: "Audit log", exact: true }).click();
    const entries = rowsOf(page, "Audit log, newest first");
    const suspension = entries.filter({ hasText: `/api/v1/admin/merchants/${merchant.merchantId}/suspend` });
    await suspension.waitFor();
    expect(await suspension.textContent()).toContain(admin.email);
    expect(await suspension.textContent()).toContain("200");
    // newest first: the reactivation came after
    expect(await entries.first().textContent()).toContain("/reactivate");
    await screenshot(page, "console-audit-log");
    expect(errors).toEqual([]);
  });

  it("creates a merchant showing its two keys once (they work), and adds its first owner, who can then sign in", async () => {
    const { page, errors } = await signInAs(admin);
    await page.getByRole("button", { name: "New merchant" }).click();
    const form = page.getByRole("form", { name: "New merchant" });
    await form.getByLabel("Name").fill("Console Made Books");
    await form.getByLabel("Email").fill("books@console-made.test");
    await form.getByRole("button", { name: "Create merchant" }).click();

    const keys = page.getByRole("region", { name: "New merchant's keys" });
    await keys.waitFor();
    const [testKey, liveKey] = await keys.locator("code").allTextContents();
    expect(testKey).toMatch(/^sk_test_/);
    expect(liveKey).toMatch(/^sk_live_/);
    const made = await ok<{ id: string; name: string; status: string }>(await platform.api("/api/v1/merchant", { key: testKey! }));
    expect(made).toMatchObject({ name: "Console Made Books", status: "active" });
    await rowsOf(page, "Merchants, newest first").filter({ hasText: "Console Made Books" }).waitFor();

    await keys.getByRole("link", { name: /add its first owner/ }).click();
    await page.getByRole("heading", { level: 1, name: /Console Made Books/ }).waitFor();
    expect(await page.getByText(testKey!).count()).toBe(0);
    const addUser = page.getByRole("form", { name: "Add a user" });
    await addUser.getByLabel("Email").fill("owner@console-made.test");
    await addUser.getByLabel("Password").fill(PASSWORD);
    await addUser.getByRole("button", { name: "Add user" }).click();
    await addUser.getByRole("status").filter({ hasText: "owner@console-made.test can now sign in as owner" }).waitFor();
    await rowsOf(page, "People who sign in to this merchant's dashboard").filter({ hasText: "owner@console-made.test" }).waitFor();

    const session = await ok<{ user: { kind: string; role: string; merchant_id: string } }>(
      await platform.api("/api/v1/session", { body: { email: "owner@console-made.test", password: PASSWORD } }),
      201,
    );
    expect(session.user).toMatchObject({ kind: "merchant", role: "owner", merchant_id: made.id });
    expect(errors).toEqual([]);
  });

  it("shows a support operator every merchant but no button that changes one", async () => {
    const { page, errors } = await signInAs(support);
    await rowsOf(page, "Merchants, newest first").filter({ hasText: merchant.merchantName }).waitFor();
    expect(await page.getByRole("button", { name: "New merchant" }).count()).toBe(0);

    await page.goto(`/dashboard/console/merchants/${merchant.merchantId}`);
    await rowsOf(page, "People who sign in to this merchant's dashboard").filter({ hasText: merchant.email }).waitFor();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain(merchant.merchantName);
    expect(await page.getByRole("button", { name: /Suspend|Reactivate/ }).count()).toBe(0);
    expect(await page.getByRole("form", { name: "Add a user" }).count()).toBe(0);

    await page.getByRole("link", { name: "Risk rules" }).click();
    await page.getByRole("table", { name: /^Platform rules/ }).waitFor();
    expect(await page.getByRole("button", { name: /New .* rule/ }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("at phone width, the list scrolls inside its own box", async () => {
    const { page } = await platform.newPage({ width: 390, height: 844 });
    await signIn(page, admin.email, admin.password);
    await rowsOf(page, "Merchants, newest first").first().waitFor();
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
  });
});

describe("payments and channels", () => {
  it("lists every merchant's payments in the mode shown, and one merchant's from its page", async () => {
    const { page, errors } = await signInAs(admin);
    const all = await testPayments();
    await page.getByRole("link", { name: "Payments" }).click();
    const rows = rowsOf(page, "Test payments of every merchant, newest first");
    await rows.filter({ hasText: all.data[0]!.payment_no }).waitFor();
    expect(await rows.count()).toBe(all.data.length);
    await screenshot(page, "console-payments");

    // one merchant's declined payments: from its page, then by status
    await page.goto(`/dashboard/console/merchants/${merchant.merchantId}`);
    await page.getByRole("link", { name: "Its payments" }).click();
    const mine = rowsOf(page, `Test payments of ${merchant.merchantId}, newest first`);
    const expected = all.data.filter((p) => p.merchant_id === merchant.merchantId);
    await expect.poll(() => mine.count()).toBe(expected.length);
    await page.getByLabel("Status").selectOption("failed");
    const declined = expected.filter((p) => p.status === "failed").map((p) => p.payment_no);
    expect(declined.length).toBeGreaterThan(0);
    await expect.poll(async () => (await mine.locator("td:first-child code").allTextContents()).sort()).toEqual(declined.sort());

    // live mode: the list asks for live payments, of which there are none
    await page.getByRole("switch", { name: "Live mode" }).check();
    await page.getByRole("table", { name: `Live payments of ${merchant.merchantId}, newest first` }).getByText("No payment matches.").waitFor();
    expect(errors).toEqual([]);
  });

  it("shows each channel's attempts, success rate and merchants over every merchant", async () => {
    type Health = { data: Array<{ channel: string; attempts: number; merchants: number }> };
    const health = await until(
      async () => ok<Health>(await platform.adminApi("/api/v1/admin/routing/health?livemode=false")),
      (h) => (h.data.find((c) => c.channel === "sandbox")?.merchants ?? 0) >= 2,
      "the attempts' projection",
    );
    const sandbox = health.data.find((c) => c.channel === "sandbox")!;
    const { page, errors } = await signInAs(admin);
    await page.getByRole("link", { name: "Channel health" }).click();
    const row = rowsOf(page, /^Channels in test mode/).filter({ hasText: "sandbox" });
    await row.waitFor();
    const cells = await row.locator("td").allTextContents();
    expect(cells[0]).toBe("sandbox");
    expect(Number(cells[1]!.replace(/\D/g, ""))).toBeGreaterThanOrEqual(sandbox.attempts);
    expect(cells[7]).toBe(String(sandbox.merchants));
    await page.getByRole("figure").filter({ hasText: "Success rate by channel" }).waitFor();
    await screenshot(page, "console-health");
    expect(errors).toEqual([]);
  });
});

describe("dead letters", () => {
  it("shows support a parked notification without a Replay button; an admin replays it after a confirm, the page shows when, and it is delivered", async () => {
    const letter = await parkNotification();
    const caption = "Dead letters, newest first";

    const { page: supportPage } = await signInAs(support);
    await supportPage.getByRole("link", { name: "Dead letters" }).click();
    await rowsOf(supportPage, caption).filter({ hasText: letter.message_id }).waitFor();
    expect(await supportPage.getByRole("button", { name: /^Replay/ }).count()).toBe(0);

    // the merchant's endpoint is back
    receiver.failing = false;
    const { page, errors } = await signInAs(admin);
    await page.getByRole("link", { name: "Dead letters" }).click();
    await page.getByLabel("Queue").selectOption("notifications");
    const row = rowsOf(page, caption).filter({ hasText: letter.message_id });
    await row.getByText("Not replayed").waitFor();
    await row.getByRole("button", { name: `Replay ${letter.message_id}` }).click();
    await page.getByRole("dialog", { name: "Replay this message?" }).getByRole("button", { name: "Replay message" }).click();
    await row.getByText(/^Replayed/).waitFor();
    await page.getByRole("status").filter({ hasText: `Message ${letter.message_id} is back on notifications` }).waitFor();

    expect((await deadLetters()).find((d) => d.id === letter.id)?.replayed_at).toEqual(expect.any(String));
    // back on its queue, the event reached the merchant this time
    type EventJson = { delivery: { status: string } };
    await until(
      async () => ok<EventJson>(await platform.api(`/api/v1/events/${letter.body.eventId}`, { key: merchant.testKey })),
      (event) => event.delivery.status === "delivered",
      "the replayed notification to be delivered",
      100,
    );
    expect(receiver.received).toContain(letter.body.eventId);
    expect(errors).toEqual([]);
  });
});

describe("platform risk rules", () => {
  it("refuses a predicate that does not parse, saying where; adds the rule once fixed, and deletes it after a confirm", async () => {
    const { page, errors } = await signInAs(admin);
    await page.getByRole("link", { name: "Risk rules" }).click();
    await page.getByRole("button", { name: "New test rule" }).click();
    const form = page.getByRole("region", { name: "New rule" });
    await form.getByLabel("Name").fill("very big orders");
    await form.getByLabel("Action").selectOption("review");
    await form.getByLabel("Predicate").fill(":amount_in_usd: >");
    await form.getByRole("button", { name: "Add rule" }).click();
    const alert = form.getByRole("alert");
    await alert.filter({ hasText: "Invalid predicate" }).waitFor();
    expect(await alert.textContent()).toContain("Field: predicate");
    const rulesOf = async () =>
      (await ok<ListJson<{ name: string; action: string; platform: boolean }>>(await platform.adminApi("/api/v1/admin/risk/rules?livemode=false"))).data;
    expect(await rulesOf()).toEqual([]);

    await form.getByLabel("Predicate").fill(":amount_in_usd: > 100000");
    await form.getByRole("button", { name: "Add rule" }).click();
    const row = rowsOf(page, "Platform rules, test mode, in the order they are tried").filter({ hasText: "very big orders" });
    await row.waitFor();
    expect(await rulesOf()).toEqual([expect.objectContaining({ name: "very big orders", action: "review", platform: true })]);

    await row.getByRole("button", { name: "Delete very big orders" }).click();
    await page.getByRole("dialog", { name: "Delete this rule?" }).getByRole("button", { name: "Delete rule" }).click();
    await page.getByRole("status").filter({ hasText: "Removed the rule “very big orders”" }).waitFor();
    expect(await rulesOf()).toEqual([]);
    expect(errors).toEqual([]);
  });
});
