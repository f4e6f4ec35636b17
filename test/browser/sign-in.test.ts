// Signing in to the dashboard and the API keys page, in Chromium against the Worker: the session
// cookie, the CSRF token and the mode header all travel as a real browser sends them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MerchantOwner, type Platform, screenshot, signIn, startPlatform, submitSignIn } from "./harness";

let platform: Platform;
let owner: MerchantOwner;

beforeAll(async () => {
  platform = await startPlatform();
  owner = await platform.createMerchantWithOwner();
});
afterAll(() => platform?.stop());

describe("signing in", () => {
  it("lands a merchant's owner on the dashboard, in test mode, showing who is signed in", async () => {
    const { page, errors, requests } = await platform.newPage();
    await page.goto("/dashboard/sign-in");
    await screenshot(page, "sign-in");
    await signIn(page, owner.email, owner.password);

    expect(new URL(page.url()).pathname).toBe("/dashboard");
    expect(await page.getByText(owner.email).isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: owner.merchantName }).isVisible()).toBe(true);
    expect(await page.getByRole("switch", { name: "Live mode" }).isChecked()).toBe(false);
    expect(await page.getByText("Test mode", { exact: true }).isVisible()).toBe(true);
    // the session cookie is the platform's, unreadable by scripts
    const cookies = await page.context().cookies();
    expect(cookies.map((c) => ({ name: c.name, httpOnly: c.httpOnly, sameSite: c.sameSite }))).toEqual([
      { name: expect.stringMatching(/session$/), httpOnly: true, sameSite: "Strict" },
    ]);
    expect(requests.filter((url) => new URL(url).origin !== platform.origin)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("shows why a wrong password is refused, and sets no cookie", async () => {
    const { page, errors } = await platform.newPage();
    await submitSignIn(page, owner.email, "not the password at all");

    await page.getByRole("alert").filter({ hasText: /wrong email or password/i }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/dashboard/sign-in");
    expect(await page.context().cookies()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("says so when sign-in is refused for too many failures (429)", async () => {
    const email = "guessed@browser.test";
    for (let i = 0; i < 5; i++) {
      expect((await platform.api("/api/v1/session", { body: { email, password: `guess number ${i}` } })).status).toBe(401);
    }
    const { page } = await platform.newPage();
    await submitSignIn(page, email, "one more guess here");

    await page.getByRole("alert").filter({ hasText: /too many failed sign-ins/i }).waitFor();
    expect(await page.context().cookies()).toEqual([]);
  });

  it("sends a signed-out browser from any dashboard page to the sign-in form", async () => {
    const { page } = await platform.newPage();
    await page.goto("/dashboard/api-keys");
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/dashboard/sign-in");
  });

  it("signs out: the session ends on the server, and the browser is back at the form", async () => {
    const { page } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    const [cookie] = await page.context().cookies();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();

    expect(new URL(page.url()).pathname).toBe("/dashboard/sign-in");
    // the old cookie, replayed, is refused
    const replay = await platform.api("/api/v1/session", { headers: { Cookie: `${cookie!.name}=${cookie!.value}` } });
    expect(replay.status).toBe(401);
  });
});

describe("the API keys page", () => {
  it("shows a new key's secret once, and revokes a key after a confirm", async () => {
    const { page, errors } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    await page.getByRole("link", { name: "API keys" }).click();
    const table = page.getByRole("table", { name: "Your test keys" });
    await table.waitFor();
    // the test key the merchant was created with (its live key is listed in live mode only)
    expect(await table.locator("tbody tr").count()).toBe(1);

    await page.getByRole("button", { name: "Create test key" }).click();
    const panel = page.getByRole("region", { name: "New key" });
    const secret = (await panel.locator("code").textContent())!;
    expect(secret).toMatch(/^sk_test_/);
    expect((await platform.api("/api/v1/merchant", { key: secret })).status).toBe(200);
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await panel.getByRole("button", { name: "Copy" }).click();
    await panel.getByText("Copied to the clipboard").waitFor();
    expect(await page.evaluate<string>("navigator.clipboard.readText()")).toBe(secret);
    const row = table.locator("tbody tr").filter({ hasText: secret.slice(0, 12) });
    await row.waitFor();
    expect(await table.locator("tbody tr").count()).toBe(2);
    await screenshot(page, "api-keys-created");

    await panel.getByRole("button", { name: "Done" }).click();
    expect(await page.getByText(secret).count()).toBe(0);

    await row.getByRole("button", { name: /^Revoke/ }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke this key?" });
    await dialog.getByRole("button", { name: "Revoke key" }).click();
    await row.getByText("Revoked").waitFor();
    expect(await dialog.isVisible()).toBe(false);
    expect((await platform.api("/api/v1/merchant", { key: secret })).status).toBe(401);
    expect(errors).toEqual([]);
  });

  it("cancelling the confirm leaves the key working", async () => {
    const { page } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    await page.goto("/dashboard/api-keys");
    const row = page.getByRole("table", { name: "Your test keys" }).locator("tbody tr").filter({ hasText: owner.testKey.slice(0, 12) });
    await row.getByRole("button", { name: /^Revoke/ }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke this key?" });
    await dialog.waitFor();
    await page.keyboard.press("Escape");

    await dialog.waitFor({ state: "hidden" });
    expect(await row.getByText("Active").isVisible()).toBe(true);
    expect((await platform.api("/api/v1/merchant", { key: owner.testKey })).status).toBe(200);
  });

  it("in live mode, lists and issues live keys: the mode the page shows is the mode the API uses", async () => {
    const { page } = await platform.newPage();
    await signIn(page, owner.email, owner.password);
    await page.goto("/dashboard/api-keys");
    await page.getByRole("switch", { name: "Live mode" }).check();

    expect(await page.getByText("Test mode", { exact: true }).count()).toBe(0);
    const table = page.getByRole("table", { name: "Your live keys" });
    await table.waitFor();
    expect(await table.locator("tbody tr").count()).toBe(1);
    await page.getByRole("button", { name: "Create live key" }).click();
    expect(await page.getByRole("region", { name: "New key" }).locator("code").textContent()).toMatch(/^sk_live_/);
  });

  it("at phone width, the navigation opens from the Menu button", async () => {
    const { page, errors } = await platform.newPage({ width: 390, height: 844 });
    await signIn(page, owner.email, owner.password);
    const link = page.getByRole("link", { name: "API keys" });
    expect(await link.isVisible()).toBe(false);

    const menu = page.getByRole("button", { name: "Menu" });
    await menu.click();
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    await link.click();
    await page.getByRole("table", { name: "Your test keys" }).waitFor();
    // choosing a page folds the menu away again
    expect(await link.isVisible()).toBe(false);
    // nothing wider than the phone: the table scrolls inside its own box
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await screenshot(page, "api-keys-phone");
    expect(errors).toEqual([]);
  });
});
