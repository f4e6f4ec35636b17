// The money pages in Chromium against the Worker: the overview's figures and charts drawn from the
// statistics of real sandbox payments (succeeded and declined), a payment found by its number from
// the search box and refunded in part from its page, its timeline, an order shipped from its page,
// and what an analyst is not offered. Each checks the API's state as well as the page.
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatMoney } from "../../dashboard/src/components/money";
import { toMajorUnits, toMinorUnits } from "../../dashboard/src/pages/merchant/major-units";
import { type MerchantOwner, PASSWORD, type Platform, screenshot, signIn, startPlatform } from "./harness";

let platform: Platform;
let owner: MerchantOwner;
const analyst = { email: "analyst@browser.test", password: PASSWORD };

interface PaymentJson {
  payment_no: string;
  amount: number;
  status: string;
  refunded_amount: number;
}
interface ListJson<T> {
  data: T[];
  has_more: boolean;
}
interface OverviewJson {
  from: string;
  to: string;
  currencies: Array<{
    currency: string;
    payment_count: number;
    failed_count: number;
    success_rate: number | null;
    succeeded_amount: number;
    refund_count: number;
    dispute_count: number;
  }>;
}

/** The merchant's API with its test key, answering JSON. */
async function merchantApi<T>(path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await platform.api(path, { key: owner.testKey, body });
  return { status: res.status, body: (await res.json()) as T };
}

/** Polls `read` until `done` holds (the D1 projection trails the payments by a moment). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`not settled in ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const SETTLED = ["succeeded", "failed"];
const made = {} as Record<"big" | "small" | "declined", PaymentJson>;
let orderNo = "";
let unpaidOrderNo = "";

/** The merchant's server, receiving the notifications of the payment made with its URL (test mode allows loopback). */
let receiver: Server;
let notifyUrl = "";

async function createPayment(orderNo: string, amount: number, paymentMethod: string, email: string, extra: object = {}) {
  const res = await merchantApi<PaymentJson>("/api/v1/payments", {
    order_no: orderNo,
    amount,
    currency: "USD",
    payment_method: paymentMethod,
    customer_email: email,
    ...extra,
  });
  expect(res.status).toBe(201);
  return res.body;
}

beforeAll(async () => {
  platform = await startPlatform();
  owner = await platform.createMerchantWithOwner();
  const added = await platform.adminApi(`/api/v1/admin/merchants/${owner.merchantId}/users`, { body: { ...analyst, role: "analyst" } });
  expect(added.status).toBe(201);

  receiver = createServer((_req, res) => res.writeHead(200, { "Content-Type": "text/plain" }).end("received"));
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  notifyUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notifications`;

  made.big = await createPayment("book-1", 4999, "pm_sandbox_success", "ada@example.com", { notify_url: notifyUrl });
  made.small = await createPayment("book-2", 1250, "pm_sandbox_success", "grace@example.com");
  await createPayment("book-3", 2000, "pm_sandbox_success", "grace@example.com");
  made.declined = await createPayment("book-4", 3000, "pm_sandbox_declined", "alan@example.com");
  await createPayment("book-5", 800, "pm_sandbox_declined", "alan@example.com");
  const order = await merchantApi<{ order_no: string }>("/api/v1/orders", {
    customer_email: "edsger@example.com",
    currency: "USD",
    items: [
      { product_id: "sku-1", product_name: "A Discipline of Programming", unit_price: 3500, quantity: 1 },
      { product_id: "sku-2", product_name: "Notes on Structured Programming", unit_price: 1500, quantity: 2 },
    ],
  });
  expect(order.status).toBe(201);
  orderNo = order.body.order_no;
  expect((await merchantApi(`/api/v1/orders/${orderNo}/pay`, { payment_method: "pm_sandbox_success" })).status).toBe(201);
  // one not paid yet, with the merchant's own reference
  const unpaid = await merchantApi<{ order_no: string }>("/api/v1/orders", {
    customer_email: "barbara@example.com",
    currency: "USD",
    merchant_reference: "web-1042",
    items: [{ product_id: "sku-3", product_name: "Abstraction and Specification", unit_price: 4200, quantity: 1 }],
  });
  expect(unpaid.status).toBe(201);
  unpaidOrderNo = unpaid.body.order_no;

  // every payment settled in D1, where the lists and the statistics read, and the order paid
  await eventually(
    () => merchantApi<ListJson<PaymentJson>>("/api/v1/payments?limit=100"),
    (res) => res.body.data.length === 6 && res.body.data.every((p) => SETTLED.includes(p.status)),
  );
  await eventually(() => merchantApi<{ status: string }>(`/api/v1/orders/${orderNo}`), (res) => res.body.status === "paid");
}, 120_000);
afterAll(async () => {
  receiver?.close();
  await platform?.stop();
});

/** The value of one figure of the overview (its first <dd>). */
const figure = (page: Page, label: string) =>
  page.locator(".figure", { has: page.getByText(label, { exact: true }) }).locator("dd").first().textContent();

/** Whether a chart's canvas has pixels of its first series' colour (#1f5fbf): data was drawn, not just axes. */
const drawnSeries = (page: Page, chart: number) =>
  page.evaluate<boolean>(`(() => {
    const canvas = document.querySelectorAll(".chart canvas")[${chart}];
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 0; i < pixels.length; i += 4) {
      if (Math.abs(pixels[i] - 31) < 12 && Math.abs(pixels[i + 1] - 95) < 12 && Math.abs(pixels[i + 2] - 191) < 12) return true;
    }
    return false;
  })()`);

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe("amounts typed in major units", () => {
  it("convert to minor units by the currency's exponent, exactly (no float: 0.29 USD is 29)", () => {
    expect(toMinorUnits("0.29", "USD")).toEqual({ ok: true, value: 29 });
    expect(toMinorUnits("12.3", "USD")).toEqual({ ok: true, value: 1230 });
    expect(toMinorUnits(" 49.99 ", "USD")).toEqual({ ok: true, value: 4999 });
    expect(toMinorUnits("1500", "JPY")).toEqual({ ok: true, value: 1500 });
    expect(toMinorUnits("1.234", "BHD")).toEqual({ ok: true, value: 1234 });
    expect(toMinorUnits("90071992547409.91", "USD")).toEqual({ ok: true, value: 9007199254740991 });
    for (const [text, currency] of [["1.005", "USD"], ["1.5", "JPY"], ["12,34", "EUR"], ["-1", "USD"], ["", "USD"], ["1e3", "USD"], ["90071992547409.92", "USD"]]) {
      expect(toMinorUnits(text!, currency!).ok, `${text} ${currency}`).toBe(false);
    }
    expect(toMinorUnits("1.005", "USD")).toEqual({ ok: false, message: "USD has at most 2 decimals." });
  });

  it("show minor units as the digits an input takes", () => {
    expect([toMajorUnits(4999, "USD"), toMajorUnits(5, "USD"), toMajorUnits(1000, "JPY"), toMajorUnits(5, "BHD"), toMajorUnits(0, "EUR")]).toEqual([
      "49.99", "0.05", "1000", "0.005", "0.00",
    ]);
  });
});

describe("the overview", () => {
  it("shows the period's figures as the API counts them, draws both charts with data, and ranks the decline code", async () => {
    const { page, errors } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    expect(new URL(page.url()).pathname).toBe("/dashboard");
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    const failures = page.getByRole("table", { name: "Failure reasons, most frequent first" });
    await failures.waitFor();

    // the default period, the last 30 UTC days, as the page asks for it
    const to = utcDay(Date.now());
    const from = utcDay(Date.now() - 29 * 86_400_000);
    const { body } = await merchantApi<OverviewJson>(`/api/v1/statistics/overview?from=${from}&to=${to}`);
    const usd = body.currencies.find((c) => c.currency === "USD")!;
    expect(usd).toMatchObject({ payment_count: 6, failed_count: 2, succeeded_amount: 4999 + 1250 + 2000 + 6500 });
    expect(await figure(page, "Volume")).toBe(formatMoney(usd.succeeded_amount, "USD"));
    expect(await figure(page, "Payments")).toBe(String(usd.payment_count));
    expect(await figure(page, "Success rate")).toBe(new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 }).format(usd.success_rate!));
    expect(await figure(page, "Disputes")).toBe(String(usd.dispute_count));

    // two uPlot charts, each with the sandbox's series drawn
    expect(await page.locator(".chart canvas").count()).toBe(2);
    expect(await page.locator(".chart").first().textContent()).toContain("sandbox");
    expect(await drawnSeries(page, 0)).toBe(true);
    expect(await drawnSeries(page, 1)).toBe(true);

    const declined = failures.getByRole("row").filter({ hasText: "card_declined" });
    expect(await declined.getByRole("cell").allTextContents()).toEqual(["1", "card_declined", "2"]);
    await screenshot(page, "overview");

    // the last 7 days hold the same payments (all made today)
    const week = `from=${utcDay(Date.now() - 6 * 86_400_000)}`;
    await Promise.all([
      page.waitForResponse((res) => res.url().includes("/api/v1/statistics/payments") && res.url().includes(week)),
      page.getByText("Last 7 days").click(),
    ]);
    expect(await figure(page, "Payments")).toBe("6");
    expect(errors).toEqual([]);
  });

  it("says there is nothing yet to a merchant without payments, instead of empty charts", async () => {
    const newcomer = await platform.createMerchantWithOwner();
    const { page, errors } = await platform.newPage();
    await signIn(page, newcomer.email, newcomer.password);
    await page.getByRole("heading", { name: "No payments in the last 30 days" }).waitFor();
    expect(await page.locator(".chart, .figure").count()).toBe(0);
    expect(await page.getByRole("link", { name: "Go to payments" }).getAttribute("href")).toBe("/dashboard/payments");
    expect(errors).toEqual([]);
  });

  it("fits a phone: figures and charts in the width of the screen", async () => {
    const { page, errors } = await platform.newPage({ width: 390, height: 844 });
    await signIn(page, owner.email, owner.password);
    await page.getByRole("table", { name: "Failure reasons, most frequent first" }).waitFor();
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    expect(await drawnSeries(page, 0)).toBe(true);
    await screenshot(page, "overview-phone");
    expect(errors).toEqual([]);
  });
});

describe("payments", () => {
  it("finds a payment by its number from the search box, refunds part of it, and the refund is in the API", async () => {
    const { page, errors } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    await page.getByRole("link", { name: "Payments" }).click();
    const table = page.getByRole("table", { name: "Payments, newest first" });
    await table.getByRole("link", { name: made.big.payment_no }).waitFor();
    expect(await table.locator("tbody tr").count()).toBe(6);
    expect(await table.locator("tbody tr").filter({ hasText: made.declined.payment_no }).textContent()).toContain("Failed");
    await screenshot(page, "payments");

    // typed in lower case, as a person might
    await page.getByLabel("Search").fill(made.big.payment_no.toLowerCase());
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("heading", { name: formatMoney(4999, "USD") }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/dashboard/payments/${made.big.payment_no}`);

    await page.getByRole("button", { name: "Refund" }).click();
    const dialog = page.getByRole("dialog", { name: "Refund this payment?" });
    // all that is left, in dollars
    expect(await dialog.getByLabel("Amount (USD)").inputValue()).toBe("49.99");
    await dialog.getByLabel("Amount (USD)").fill("12.34");
    await dialog.getByLabel("Reason (optional)").fill("requested_by_customer");
    await dialog.getByRole("button", { name: "Refund" }).click();

    await page.getByRole("status").filter({ hasText: /^Refund RF\w+ of \$12\.34 made\./ }).waitFor();
    const refunds = page.getByRole("table", { name: "Refunds of this payment" });
    // the page reads again until the channel settles it
    const row = refunds.locator("tbody tr").filter({ hasText: "$12.34" });
    await row.getByText("Succeeded").waitFor();
    expect(await row.textContent()).toContain("requested_by_customer");
    await page.getByRole("heading", { name: /Partially refunded/ }).waitFor();

    const listed = await eventually(
      () => merchantApi<ListJson<{ refund_no: string; amount: number; status: string; reason: string }>>(`/api/v1/refunds?payment_no=${made.big.payment_no}`),
      (res) => res.body.data[0]?.status === "succeeded",
    );
    expect(listed.body.data).toMatchObject([{ amount: 1234, reason: "requested_by_customer", status: "succeeded" }]);
    expect(await row.textContent()).toContain(listed.body.data[0]!.refund_no);
    const payment = await merchantApi<PaymentJson>(`/api/v1/payments/${made.big.payment_no}`);
    expect(payment.body).toMatchObject({ status: "partially_refunded", refunded_amount: 1234 });

    // a second refund starts from what is left
    await page.getByRole("button", { name: "Refund" }).click();
    expect(await dialog.getByLabel("Amount (USD)").inputValue()).toBe("37.65");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await screenshot(page, "payment");
    expect(errors).toEqual([]);
  });

  it("shows the deliveries of an event about the payment when it is opened", async () => {
    // delivered to the merchant's server, as the API records it
    await eventually(
      () => merchantApi<ListJson<{ type: string; delivery: { status: string } }>>(`/api/v1/events?payment_no=${made.big.payment_no}&type=payment.succeeded`),
      (res) => res.body.data[0]?.delivery.status === "delivered",
    );
    const { page, errors } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    await page.goto(`/dashboard/payments/${made.big.payment_no}`);
    const events = page.getByRole("region", { name: "Events" });
    const event = events.getByRole("listitem").filter({ hasText: "payment.succeeded" });
    expect(await event.locator("summary").textContent()).toContain("Delivered");
    await event.locator("summary").click();

    const attempts = event.getByRole("table", { name: "Delivery attempts" });
    await attempts.waitFor();
    const cells = await attempts.locator("tbody tr").first().getByRole("cell").allTextContents();
    expect(cells[0]).toBe("1");
    expect(cells.slice(2, 4)).toEqual([notifyUrl, "200"]);
    expect(cells[5]).toBe("received");
    expect(errors).toEqual([]);
  });

  it("refuses an amount with too many decimals in the form, before any call", async () => {
    const { page, requests } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    await page.goto(`/dashboard/payments/${made.small.payment_no}`);
    await page.getByRole("button", { name: "Refund" }).click();
    const dialog = page.getByRole("dialog", { name: "Refund this payment?" });
    await dialog.getByLabel("Amount (USD)").fill("1.005");
    await dialog.getByRole("button", { name: "Refund" }).click();

    await dialog.getByRole("alert").filter({ hasText: "USD has at most 2 decimals." }).waitFor();
    expect(requests.filter((url) => url.endsWith("/api/v1/refunds"))).toEqual([]);
    expect((await merchantApi<ListJson<unknown>>(`/api/v1/refunds?payment_no=${made.small.payment_no}`)).body.data).toEqual([]);
  });

  it("lists every status move of a payment with its cause, oldest first", async () => {
    const { page } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    await page.goto(`/dashboard/payments/${made.declined.payment_no}`);
    const timeline = page.getByRole("region", { name: "Timeline" });
    await timeline.getByRole("listitem").first().waitFor();

    const { body } = await merchantApi<ListJson<{ from: string | null; to: string; cause: { type: string; id: string } }>>(
      `/api/v1/payments/${made.declined.payment_no}/timeline`,
    );
    const items = timeline.getByRole("listitem");
    expect(await items.count()).toBe(body.data.length);
    expect(await items.locator("strong").allTextContents()).toEqual(["Created: Pending", "Pending → Failed"]);
    // each with what moved it: the create's request, then the channel's word
    for (const [i, move] of body.data.entries()) expect(await items.nth(i).textContent()).toContain(move.cause.id);
    expect(await items.first().textContent()).toContain("API request");
    // the attempt and its decline
    const attempts = page.getByRole("table", { name: "Attempts, oldest first" });
    expect(await attempts.locator("tbody tr").first().textContent()).toContain("card_declined");
  });

  it("finds a customer's payments by email from the search box", async () => {
    const { page } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    await page.goto("/dashboard/payments");
    await page.getByLabel("Search").fill("GRACE@example.com");
    await page.getByRole("button", { name: "Search" }).click();

    await page.getByText("Showing the payments of GRACE@example.com.").waitFor();
    const rows = page.getByRole("table", { name: "Payments, newest first" }).locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.allTextContents()).toEqual([expect.stringContaining("$20.00"), expect.stringContaining("$12.50")]);
    expect(new URL(page.url()).searchParams.get("customer_email")).toBe("GRACE@example.com");
  });

  it("shows an analyst the payment but no Refund button, and an order without its moves", async () => {
    const { page, errors } = await platform.newPage();
    await signIn(page, analyst.email, analyst.password);
    await page.goto(`/dashboard/payments/${made.small.payment_no}`);
    await page.getByRole("heading", { name: formatMoney(1250, "USD") }).waitFor();
    await page.getByRole("table", { name: "Refunds of this payment" }).waitFor();
    expect(await page.getByRole("button", { name: "Refund" }).count()).toBe(0);

    await page.goto(`/dashboard/orders/${orderNo}`);
    await page.getByRole("table", { name: "Items" }).waitFor();
    for (const name of ["Ship", "Cancel order", "Refund", "Complete"]) expect(await page.getByRole("button", { name }).count()).toBe(0);
    expect(errors).toEqual([]);
  });
});

describe("orders", () => {
  it("ships a paid order from its page after a confirm; the API has it shipped with its tracking number", async () => {
    const { page, errors } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    await page.getByRole("link", { name: "Orders" }).click();
    const link = page.getByRole("table", { name: "Orders, newest first" }).getByRole("link", { name: orderNo });
    await link.waitFor();
    await screenshot(page, "orders");
    // the status filter asks the API for paid orders only
    await Promise.all([
      page.waitForResponse((res) => res.url().includes("/api/v1/orders?status=paid")),
      page.getByLabel("Status").selectOption("paid"),
    ]);
    await expect.poll(() => page.getByRole("table", { name: "Orders, newest first" }).locator("tbody tr").count()).toBe(1);
    await link.click();

    await page.getByRole("table", { name: "Items" }).waitFor();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain("Paid");
    // paid: ship or refund; it can no longer be cancelled, nor completed before it ships
    expect(await page.locator(".page-header .actions button").allTextContents()).toEqual(["Ship", "Refund"]);

    await page.getByRole("button", { name: "Ship" }).click();
    const dialog = page.getByRole("dialog", { name: "Ship this order?" });
    await dialog.getByLabel("Carrier").fill("UPS");
    await dialog.getByLabel("Tracking number").fill("1Z999AA10123456784");
    await dialog.getByRole("button", { name: "Mark shipped" }).click();

    await page.getByRole("status").filter({ hasText: "Order shipped with UPS, tracking number 1Z999AA10123456784." }).waitFor();
    await page.getByRole("heading", { level: 1, name: /Shipped/ }).waitFor();
    expect(await page.locator(".page-header .actions button").allTextContents()).toEqual(["Complete", "Refund"]);
    const order = await merchantApi<{ status: string; carrier: string; tracking_no: string }>(`/api/v1/orders/${orderNo}`);
    expect(order.body).toMatchObject({ status: "shipped", carrier: "UPS", tracking_no: "1Z999AA10123456784" });
    expect(errors).toEqual([]);
  });

  it("refunds part of a shipped order with its reason; the order follows once the channel settles it", async () => {
    const { page, errors } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    await page.goto(`/dashboard/orders/${orderNo}`);
    await page.getByRole("button", { name: "Refund" }).click();
    const dialog = page.getByRole("dialog", { name: "Refund this order?" });
    expect(await dialog.getByLabel("Amount (USD)").inputValue()).toBe("65.00");
    await dialog.getByLabel("Amount (USD)").fill("5");
    // the order refund asks for a reason
    await dialog.getByRole("button", { name: "Refund" }).click();
    await dialog.getByRole("alert").filter({ hasText: "Give a reason" }).waitFor();
    await dialog.getByLabel("Reason").fill("damaged_in_transit");
    await dialog.getByRole("button", { name: "Refund" }).click();

    await page.getByRole("status").filter({ hasText: /^Refund RF\w+ of \$5\.00 made/ }).waitFor();
    // the page reads the order again until the refund moved it
    await page.getByRole("heading", { level: 1, name: /Partially refunded/ }).waitFor();
    const order = await merchantApi<{ status: string; refunded_amount: number; payment_no: string }>(`/api/v1/orders/${orderNo}`);
    expect(order.body).toMatchObject({ status: "partially_refunded", refunded_amount: 500 });
    const refunds = await merchantApi<ListJson<{ amount: number; reason: string }>>(`/api/v1/refunds?payment_no=${order.body.payment_no}`);
    expect(refunds.body.data).toMatchObject([{ amount: 500, reason: "damaged_in_transit" }]);
    expect(errors).toEqual([]);
  });

  it("offers an unpaid order only its cancel, and cancels it after a confirm", async () => {
    const { page, errors } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    await page.goto(`/dashboard/orders/${unpaidOrderNo}`);
    await page.getByRole("table", { name: "Items" }).waitFor();
    expect(await page.locator(".page-header .actions button").allTextContents()).toEqual(["Cancel order"]);

    await page.getByRole("button", { name: "Cancel order" }).click();
    await page.getByRole("dialog", { name: "Cancel this order?" }).getByRole("button", { name: "Cancel order" }).click();
    await page.getByRole("status").filter({ hasText: "Order cancelled." }).waitFor();
    await page.getByRole("heading", { level: 1, name: /Cancelled/ }).waitFor();
    expect(await page.locator(".page-header .actions").count()).toBe(0);
    expect((await merchantApi<{ status: string }>(`/api/v1/orders/${unpaidOrderNo}`)).body.status).toBe("cancelled");
    expect(errors).toEqual([]);
  });
});
