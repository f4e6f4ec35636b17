// The merchant's developer pages in Chromium against the Worker: the webhook endpoint, its test
// event and its secret, events and their resend, a channel connected with the merchant's own
// credentials, and the team. Notifications go to the receiver emulator and BTCPay calls to the
// BTCPay emulator, both started here on free ports (test mode lets notifications reach loopback);
// every change is checked where it lands, through the API.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhook } from "../../docs/examples/verify-webhook.mjs";
import { TEST_BTCPAY } from "../constants";
import { startBTCPayEmulator } from "../emulators/btcpay/server.mjs";
import { startReceiver } from "../emulators/receiver/server.mjs";
import { type MerchantOwner, PASSWORD, type Platform, screenshot, signIn, startPlatform } from "./harness";

interface Received {
  headers: Record<string, string>;
  body: string;
  status: number;
}

interface EventJson {
  id: string;
  type: string;
  payment_no: string | null;
  delivery: { status: string; attempts: number };
  attempts?: Array<{ attempt: number; status_code: number | null }>;
}

let platform: Platform;
let receiver: { url: string; close(): Promise<void> };
let btcpay: { url: string; close(): Promise<void> };
let hooks = 0;

beforeAll(async () => {
  platform = await startPlatform();
  receiver = await startReceiver({ port: 0 });
  btcpay = await startBTCPayEmulator({
    port: 0,
    stores: [{ storeId: TEST_BTCPAY.storeId, apiKey: TEST_BTCPAY.apiKey, webhookSecret: TEST_BTCPAY.webhookSecret }],
  });
});
afterAll(async () => {
  await platform?.stop();
  await receiver?.close();
  await btcpay?.close();
});

/** A named hook on the receiver: its URL and what it has received. */
async function newHook() {
  const name = `dev${++hooks}`;
  await fetch(`${receiver.url}/_control/${name}`, { method: "POST", body: "{}" });
  return {
    url: `${receiver.url}/hooks/${name}`,
    received: async () => (await (await fetch(`${receiver.url}/_control/${name}`)).json()) as Received[],
  };
}

async function ok<T>(res: Response, status = 200): Promise<T> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

// generous: notifications go through the local queue, which a busy machine slows down
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function signedIn(owner: { email: string; password: string }, path: string, viewport?: { width: number; height: number }) {
  const browser = await platform.newPage(viewport);
  await signIn(browser.page, owner.email, owner.password);
  await browser.page.goto(path);
  return browser;
}

const secretsOf = (owner: MerchantOwner) =>
  platform
    .api("/api/v1/merchant/webhook-endpoint/secret", { key: owner.testKey })
    .then((res) => ok<{ secret: string; previous_secret: string | null }>(res));

describe("the webhooks page", () => {
  let owner: MerchantOwner;
  beforeAll(async () => {
    owner = await platform.createMerchantWithOwner();
  });

  it("saves the endpoint, and sends a signed test event that the receiver gets: the page shows its 200", async () => {
    const hook = await newHook();
    const { page, errors } = await signedIn(owner, "/dashboard");
    await page.getByRole("link", { name: "Webhooks" }).click();
    await page.getByLabel("Endpoint URL").fill(hook.url);
    await page.getByRole("checkbox", { name: "payment.succeeded" }).check();
    await page.getByRole("checkbox", { name: "refund.succeeded" }).check();
    await page.getByRole("button", { name: "Save endpoint" }).click();
    await page.getByRole("status").filter({ hasText: `Saved: test notifications go to ${hook.url}` }).waitFor();

    const endpoint = await ok<{ url: string; events: string[] }>(await platform.api("/api/v1/merchant/webhook-endpoint", { key: owner.testKey }));
    expect(endpoint).toMatchObject({ url: hook.url, events: ["payment.succeeded", "refund.succeeded"] });

    await page.getByRole("button", { name: "Send test event" }).click();
    const result = page.getByRole("region", { name: "Test result" });
    await result.getByRole("heading", { name: "Delivered" }).waitFor();
    expect(await result.locator("dd").allTextContents()).toEqual([hook.url, "200", expect.stringMatching(/^\d+ ms$/), '{"ok":true}']);

    const received = await hook.received();
    expect(received).toHaveLength(1);
    const { secret } = await secretsOf(owner);
    expect(verifyWebhook(received[0]!.headers["x-payment-signature"]!, received[0]!.body, secret)).toBe(true);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ type: "test.webhook", livemode: false });
    // the checkboxes say what was saved once the page is loaded again
    await page.reload();
    expect(await page.getByRole("checkbox", { name: "refund.succeeded" }).isChecked()).toBe(true);
    expect(await page.getByRole("checkbox", { name: "payment.failed" }).isChecked()).toBe(false);
    expect(await page.getByLabel("Endpoint URL").inputValue()).toBe(hook.url);
    expect(errors).toEqual([]);
  });

  it("shows an endpoint that does not take the test event as not delivered, with the reason", async () => {
    const { page } = await signedIn(owner, "/dashboard/webhooks");
    // nothing listens on port 9 (discard) here: the connection fails
    await page.getByLabel("Endpoint URL").fill("http://127.0.0.1:9/hook");
    await page.getByRole("button", { name: "Save endpoint" }).click();
    await page.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    await page.getByRole("button", { name: "Send test event" }).click();
    const result = page.getByRole("region", { name: "Test result" });
    await result.getByRole("heading", { name: "Not delivered" }).waitFor();
    expect(await result.getByText("connection failed").isVisible()).toBe(true);
    expect(await result.getByText("No answer").isVisible()).toBe(true);
  });

  it("refuses a URL the platform may not send to, naming the field", async () => {
    const { page } = await signedIn(owner, "/dashboard/webhooks");
    await page.getByLabel("Endpoint URL").fill("http://10.0.0.5/hook");
    await page.getByRole("button", { name: "Save endpoint" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "must be a public address or loopback" });
    await alert.waitFor();
    expect(await alert.getByText("url", { exact: true }).isVisible()).toBe(true);
    const endpoint = await ok<{ url: string }>(await platform.api("/api/v1/merchant/webhook-endpoint", { key: owner.testKey }));
    expect(endpoint.url).not.toContain("10.0.0.5");
  });

  it("reveals the secret until hidden, and after a rotation shows the new one beside the previous", async () => {
    const hook = await newHook();
    await ok(await platform.api("/api/v1/merchant/webhook-endpoint", { key: owner.testKey, method: "PUT", body: { url: hook.url } }));
    const { page, errors } = await signedIn(owner, "/dashboard/webhooks");
    await page.getByRole("button", { name: "Send test event" }).click();
    await page.getByRole("region", { name: "Test result" }).getByRole("heading", { name: "Delivered" }).waitFor();
    await screenshot(page, "webhooks");

    await page.getByRole("button", { name: "Reveal secret" }).click();
    const shown = page.getByRole("region", { name: "Signing secret" }).locator("code");
    await shown.first().waitFor();
    const before = (await secretsOf(owner)).secret;
    expect(await shown.allTextContents()).toEqual([before]);

    await page.getByLabel("The current secret keeps signing for").selectOption({ label: "1 hour" });
    await page.getByRole("button", { name: "Rotate secret" }).click();
    const dialog = page.getByRole("dialog", { name: "Rotate the signing secret?" });
    await dialog.getByText("keeps signing beside it for 1 hour").waitFor();
    await dialog.getByRole("button", { name: "Rotate secret" }).click();
    await page.getByRole("status").filter({ hasText: "Secret rotated: the previous one keeps signing beside it until" }).waitFor();

    const after = await secretsOf(owner);
    expect(after.secret).not.toBe(before);
    expect(after.previous_secret).toBe(before);
    await until(() => shown.allTextContents(), (texts) => texts[0] === after.secret, "the new secret on the page");
    expect(await shown.allTextContents()).toEqual([after.secret, before]);
    // a notification now carries both signatures
    await page.getByRole("button", { name: "Send test event" }).click();
    await until(() => hook.received(), (r) => r.length === 2, "the second test event");
    const [, second] = await hook.received();
    expect(verifyWebhook(second!.headers["x-payment-signature"]!, second!.body, after.secret)).toBe(true);
    expect(verifyWebhook(second!.headers["x-payment-signature"]!, second!.body, before)).toBe(true);

    await page.getByRole("button", { name: "Hide secret" }).click();
    expect(await page.getByText(after.secret).count()).toBe(0);
    expect(errors).toEqual([]);
  });
  it("lets an analyst read the endpoint, but neither change it nor see its secret", async () => {
    const analyst = { email: "analyst-webhooks@browser.test", password: PASSWORD };
    await ok(await platform.api("/api/v1/merchant/users", { key: owner.testKey, body: { ...analyst, role: "analyst" } }), 201);
    const saved = await ok<{ url: string }>(await platform.api("/api/v1/merchant/webhook-endpoint", { key: owner.testKey }));
    const { page } = await signedIn(analyst, "/dashboard/webhooks");
    const url = page.getByLabel("Endpoint URL");
    await until(() => url.inputValue(), (value) => value === saved.url, "the saved URL");
    expect(await url.isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Save endpoint" }).isDisabled()).toBe(true);
    for (const name of ["Reveal secret", "Rotate secret", "Send test event"]) {
      expect(await page.getByRole("button", { name }).count(), name).toBe(0);
    }
  });
});

describe("the events page", () => {
  let owner: MerchantOwner;
  beforeAll(async () => {
    owner = await platform.createMerchantWithOwner();
  });

  it("lists a payment's events by type, shows one with its attempts, and resending it adds an attempt", async () => {
    const hook = await newHook();
    await ok(await platform.api("/api/v1/merchant/webhook-endpoint", { key: owner.testKey, method: "PUT", body: { url: hook.url } }));
    const payment = await ok<{ payment_no: string }>(
      await platform.api("/api/v1/payments", { key: owner.testKey, body: { order_no: "ORD-EVENTS-1", amount: 4200, currency: "USD" } }),
      201,
    );
    const listed = await until(
      async () =>
        ok<{ data: EventJson[] }>(await platform.api(`/api/v1/events?payment_no=${payment.payment_no}&type=payment.succeeded`, { key: owner.testKey })),
      (page) => page.data[0]?.delivery.status === "delivered",
      "the payment.succeeded event delivered",
    );
    const event = listed.data[0]!;
    // a declined payment too, so that the type filter has something to leave out
    await ok(
      await platform.api("/api/v1/payments", {
        key: owner.testKey,
        body: { order_no: "ORD-EVENTS-2", amount: 900, currency: "USD", payment_method: "pm_sandbox_declined" },
      }),
      201,
    );
    await until(
      async () => ok<{ data: EventJson[] }>(await platform.api("/api/v1/events?type=payment.failed", { key: owner.testKey })),
      (page) => page.data[0]?.delivery.status === "delivered",
      "the payment.failed event delivered",
    );

    const { page, errors } = await signedIn(owner, "/dashboard");
    await page.getByRole("link", { name: "Events" }).click();
    const table = page.getByRole("table", { name: "Your test events" });
    await table.locator("tbody tr").filter({ hasText: "payment.failed" }).waitFor();
    const row = table.locator("tbody tr").filter({ hasText: event.id });
    expect(await row.getByText(payment.payment_no).isVisible()).toBe(true);
    expect(await row.getByText("Delivered").isVisible()).toBe(true);
    await screenshot(page, "events");

    await page.getByLabel("Type").selectOption("payment.succeeded");
    await table.locator("tbody tr").filter({ hasText: "payment.failed" }).waitFor({ state: "detached" });
    const types = await table.locator("tbody tr td:nth-child(2)").allTextContents();
    expect(types.length).toBeGreaterThan(0);
    expect(new Set(types)).toEqual(new Set(["payment.succeeded"]));

    await row.getByRole("link", { name: event.id }).click();
    await page.getByRole("heading", { name: `Event ${event.id}` }).waitFor();
    const attempts = page.getByRole("table", { name: "Delivery attempts" }).locator("tbody tr");
    await attempts.first().waitFor();
    expect(await attempts.count()).toBe(1);
    expect(await attempts.first().locator("td").nth(3).textContent()).toBe("200");
    expect(await page.getByLabel("The event's data").textContent()).toContain(`"payment_no": "${payment.payment_no}"`);

    await page.getByRole("button", { name: "Resend" }).click();
    await page.getByRole("status").filter({ hasText: "Queued for delivery again" }).waitFor();
    await until(() => attempts.count(), (n) => n === 2, "the second attempt on the page");
    expect(await attempts.nth(1).locator("td").nth(3).textContent()).toBe("200");

    const detail = await ok<EventJson>(await platform.api(`/api/v1/events/${event.id}`, { key: owner.testKey }));
    expect(detail.attempts!.map((a) => a.status_code)).toEqual([200, 200]);
    const deliveries = (await hook.received()).filter((r) => r.headers["x-event-id"] === event.id);
    expect(deliveries).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it("offers Resend to a developer, and not to an analyst", async () => {
    const event = await until(
      async () => ok<{ data: EventJson[] }>(await platform.api("/api/v1/events?limit=1", { key: owner.testKey })),
      (page) => page.data.length === 1,
      "an event",
    );
    for (const [role, offered] of [["developer", 1], ["analyst", 0]] as const) {
      const person = { email: `${role}-events@browser.test`, password: PASSWORD };
      await ok(await platform.api("/api/v1/merchant/users", { key: owner.testKey, body: { ...person, role } }), 201);
      const { page } = await signedIn(person, `/dashboard/events/${event.data[0]!.id}`);
      await page.getByRole("table", { name: "Delivery attempts" }).waitFor();
      expect(await page.getByRole("button", { name: "Resend" }).count()).toBe(offered);
    }
  });
});

describe("the channels page", () => {
  let owner: MerchantOwner;
  beforeAll(async () => {
    owner = await platform.createMerchantWithOwner();
  });

  const fillBTCPay = async (page: Page, apiKey: string) => {
    const account = page.getByRole("region", { name: "Your btcpay account" });
    await account.getByLabel("Server URL", { exact: true }).fill(btcpay.url);
    await account.getByLabel("Store ID", { exact: true }).fill(TEST_BTCPAY.storeId);
    await account.getByLabel("API key", { exact: true }).fill(apiKey);
    await account.getByLabel("Webhook secret", { exact: true }).fill(TEST_BTCPAY.webhookSecret);
    await account.getByLabel("Speed policy", { exact: true }).selectOption("HighSpeed");
    await account.getByRole("button", { name: "Connect btcpay" }).click();
    return account;
  };

  it("builds each form from the API's schema: secrets in password inputs, choices in selects, defaults filled in", async () => {
    const { page, errors } = await signedIn(owner, "/dashboard/channels");
    const account = page.getByRole("region", { name: "Your btcpay account" });
    await account.getByText("Not connected").waitFor();
    const typeOf = (label: string) => account.getByLabel(label, { exact: true }).getAttribute("type");
    expect(await typeOf("Server URL")).toBe("text");
    expect(await typeOf("Store ID")).toBe("text");
    expect(await typeOf("API key")).toBe("password");
    expect(await typeOf("Webhook secret")).toBe("password");
    expect(await typeOf("Expiration minutes")).toBe("number");
    expect(await account.getByLabel("Expiration minutes", { exact: true }).inputValue()).toBe("15");
    expect(await account.getByLabel("Speed policy", { exact: true }).inputValue()).toBe("MediumSpeed");
    // every channel that takes the merchant's own account has its form; the others none
    const channels = await ok<{ data: Array<{ channel: string; merchant_credentials: boolean }> }>(
      await platform.api("/api/v1/channels", { key: owner.testKey }),
    );
    for (const c of channels.data) {
      const form = page.getByRole("form", { name: `Connect ${c.channel}` });
      expect(await form.count(), c.channel).toBe(c.merchant_credentials ? 1 : 0);
    }
    const stripe = page.getByRole("form", { name: "Connect stripe" });
    expect(await stripe.getByLabel("Secret key", { exact: true }).getAttribute("type")).toBe("password");
    expect(await stripe.getByLabel("Publishable key", { exact: true }).getAttribute("type")).toBe("text");
    expect(errors).toEqual([]);
  });

  it("shows credentials the channel refuses, naming the field, and stores nothing", async () => {
    const { page } = await signedIn(owner, "/dashboard/channels");
    const account = await fillBTCPay(page, "not-the-store-key");
    const alert = account.getByRole("alert").filter({ hasText: "refused the API key" });
    await alert.waitFor();
    expect(await alert.getByText("api_key", { exact: true }).isVisible()).toBe(true);
    expect((await platform.api("/api/v1/merchant/channels/btcpay", { key: owner.testKey })).status).toBe(404);
  });

  it("connects the merchant's own BTCPay store, then shows it connected with only hints of its secrets", async () => {
    const { page, errors } = await signedIn(owner, "/dashboard/channels");
    const account = await fillBTCPay(page, TEST_BTCPAY.apiKey);
    await account.getByText("Connected", { exact: true }).waitFor();
    expect(await account.getByText(`…${TEST_BTCPAY.apiKey.slice(-4)}`).isVisible()).toBe(true);
    expect(await account.getByText(TEST_BTCPAY.storeId).first().isVisible()).toBe(true);
    expect(await account.getByText("HighSpeed").isVisible()).toBe(true);
    // no secret anywhere on the page, not even in an input
    expect(await account.locator("input").count()).toBe(0);
    const html = await page.content();
    expect(html).not.toContain(TEST_BTCPAY.apiKey);
    expect(html).not.toContain(TEST_BTCPAY.webhookSecret);

    const config = await ok<{ account_id: string; credentials: Record<string, string> }>(
      await platform.api("/api/v1/merchant/channels/btcpay", { key: owner.testKey }),
    );
    expect(config.account_id).toBe(TEST_BTCPAY.storeId);
    expect(config.credentials).toMatchObject({ api_key_hint: `…${TEST_BTCPAY.apiKey.slice(-4)}`, speed_policy: "HighSpeed" });
    const row = page.getByRole("table", { name: "Channels" }).locator("tbody tr").filter({ hasText: "btcpay" });
    await row.getByText("Takes payments").waitFor();
    expect(await row.getByText("Yours").isVisible()).toBe(true);
    await screenshot(page, "channels");
    expect(errors).toEqual([]);
  });

  it("disconnects after a confirm", async () => {
    const { page } = await signedIn(owner, "/dashboard/channels");
    const account = page.getByRole("region", { name: "Your btcpay account" });
    await account.getByRole("button", { name: "Disconnect" }).click();
    await page.getByRole("dialog", { name: "Disconnect your btcpay account?" }).getByRole("button", { name: "Disconnect" }).click();
    await account.getByText("Not connected").waitFor();
    expect((await platform.api("/api/v1/merchant/channels/btcpay", { key: owner.testKey })).status).toBe(404);
  });

  it("lets a developer read the channels but not connect one", async () => {
    const person = { email: "developer-channels@browser.test", password: PASSWORD };
    await ok(await platform.api("/api/v1/merchant/users", { key: owner.testKey, body: { ...person, role: "developer" } }), 201);
    const { page } = await signedIn(person, "/dashboard/channels");
    const account = page.getByRole("region", { name: "Your btcpay account" });
    await account.getByText("Not connected").waitFor();
    expect(await page.getByRole("form").count()).toBe(0);
    expect(await page.getByRole("button", { name: /^Connect/ }).count()).toBe(0);
  });
});

describe("the team page", () => {
  let owner: MerchantOwner;
  const developer = { email: "developer-team@browser.test", password: "a developer's first password" };
  beforeAll(async () => {
    owner = await platform.createMerchantWithOwner();
  });

  it("adds a developer, who can then sign in and sees no Team page", async () => {
    const { page, errors } = await signedIn(owner, "/dashboard");
    await page.getByRole("link", { name: "Team" }).click();
    await page.getByLabel("Email").fill(developer.email);
    await page.getByLabel("Role").selectOption("developer");
    await page.getByLabel("Initial password").fill(developer.password);
    await page.getByRole("button", { name: "Add person" }).click();
    await page.getByRole("status").filter({ hasText: `Added ${developer.email} as developer` }).waitFor();
    const row = page.getByRole("table", { name: "People" }).locator("tbody tr").filter({ hasText: developer.email });
    await row.getByText("Developer", { exact: true }).waitFor();
    // the form is empty again, ready for the next person
    expect(await page.getByLabel("Initial password").inputValue()).toBe("");
    const users = await ok<{ data: Array<{ email: string; role: string }> }>(await platform.api("/api/v1/merchant/users", { key: owner.testKey }));
    expect(users.data.map((u) => [u.email, u.role])).toEqual([
      [owner.email, "owner"],
      [developer.email, "developer"],
    ]);
    await screenshot(page, "team");
    expect(errors).toEqual([]);

    const signedInDeveloper = await signedIn(developer, "/dashboard");
    const nav = signedInDeveloper.page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Webhooks" }).waitFor();
    expect(await nav.getByRole("link", { name: "Team" }).count()).toBe(0);
    await signedInDeveloper.page.goto("/dashboard/team");
    await signedInDeveloper.page.getByRole("heading", { name: "Page not found" }).waitFor();
  });

  it("refuses to remove the last owner and says why (409 last_owner)", async () => {
    const { page } = await signedIn(owner, "/dashboard/team");
    const row = page.getByRole("table", { name: "People" }).locator("tbody tr").filter({ hasText: owner.email });
    await row.getByRole("button", { name: `Remove ${owner.email}` }).click();
    await page.getByRole("dialog", { name: "Remove this person?" }).getByRole("button", { name: "Remove" }).click();
    await page.getByRole("alert").filter({ hasText: "only owner" }).waitFor();
    expect(await row.isVisible()).toBe(true);
    const users = await ok<{ data: Array<{ email: string }> }>(await platform.api("/api/v1/merchant/users", { key: owner.testKey }));
    expect(users.data.map((u) => u.email)).toContain(owner.email);
  });

  it("removes a person after a confirm, and their session ends at once", async () => {
    const removed = await signedIn(developer, "/dashboard/events");
    const { page } = await signedIn(owner, "/dashboard/team");
    const row = page.getByRole("table", { name: "People" }).locator("tbody tr").filter({ hasText: developer.email });
    await row.getByRole("button", { name: `Remove ${developer.email}` }).click();
    await page.getByRole("dialog", { name: "Remove this person?" }).getByRole("button", { name: "Remove" }).click();
    await page.getByRole("status").filter({ hasText: `Removed ${developer.email}` }).waitFor();
    await row.waitFor({ state: "detached" });
    const users = await ok<{ data: Array<{ email: string }> }>(await platform.api("/api/v1/merchant/users", { key: owner.testKey }));
    expect(users.data.map((u) => u.email)).toEqual([owner.email]);

    await removed.page.reload();
    await removed.page.getByRole("button", { name: "Sign in" }).waitFor();
    expect(new URL(removed.page.url()).pathname).toBe("/dashboard/sign-in");
  });
});

describe("the receipts page", () => {
  it("lets an owner enable receipts with a support address, and names support_email when it is emptied", async () => {
    const owner = await platform.createMerchantWithOwner();
    const { page, errors } = await signedIn(owner, "/dashboard");
    await page.getByRole("link", { name: "Receipts" }).click();
    const settings = page.getByRole("definition").first();
    await settings.waitFor();
    expect(await settings.textContent()).toBe("Off");

    await page.getByRole("checkbox", { name: "Send receipts to customers" }).check();
    await page.getByLabel("Business name").fill("Acme Books");
    await page.getByLabel("Support email").fill("support@acme.example");
    await page.getByRole("button", { name: "Save receipt settings" }).click();
    await page.getByRole("status").filter({ hasText: "Saved: receipts are on, sent as Acme Books; replies go to support@acme.example." }).waitFor();
    const saved = await ok<{ enabled: boolean; business_name: string; support_email: string; updated_at: string | null }>(
      await platform.api("/api/v1/merchant/receipts", { key: owner.testKey }),
    );
    expect(saved).toMatchObject({ enabled: true, business_name: "Acme Books", support_email: "support@acme.example" });
    expect(saved.updated_at).not.toBeNull();
    // the list shows what was saved, and the form starts from it
    const list = page.getByRole("definition");
    await until(() => list.allTextContents(), (texts) => texts[0] === "On", "the saved settings listed");
    expect((await list.allTextContents()).slice(0, 3)).toEqual(["On", "Acme Books", "support@acme.example"]);
    expect(await page.getByRole("checkbox", { name: "Send receipts to customers" }).isChecked()).toBe(true);

    await page.getByLabel("Support email").fill("");
    await page.getByRole("button", { name: "Save receipt settings" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.getByText("support_email", { exact: true }).isVisible()).toBe(true);
    const after = await ok<{ support_email: string }>(await platform.api("/api/v1/merchant/receipts", { key: owner.testKey }));
    expect(after.support_email).toBe("support@acme.example");
    expect(errors).toEqual([]);
  });
});

describe("at phone width", () => {
  it("shows every developer page within 390 px: nothing but a table scrolls sideways", async () => {
    const owner = await platform.createMerchantWithOwner();
    const { page, errors } = await signedIn(owner, "/dashboard", { width: 390, height: 844 });
    for (const path of ["/dashboard/events", "/dashboard/webhooks", "/dashboard/receipts", "/dashboard/channels", "/dashboard/team"]) {
      await page.goto(path);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await until(() => page.locator(".loading").count(), (n) => n === 0, `${path} loaded`);
      const width = await page.evaluate<number>("document.documentElement.scrollWidth");
      expect(width, path).toBeLessThanOrEqual(390);
    }
    expect(errors).toEqual([]);
  });
});
