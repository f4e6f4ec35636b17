// The dashboard in a real browser: a fresh local D1 (migrated), the Worker on wrangler's local
// runtime with its static assets as deployed (the dashboard rebuilt first, so the pages tested are
// the sources as they stand), and headless Chromium. Start one platform per test file (beforeAll):
// the browser project runs its files one at a time, one workerd and one Chromium on the machine.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type Page, chromium } from "playwright-core";
import { unstable_startWorker } from "wrangler";
import { migrate } from "../../scripts/local-platform.mjs";
import { TEST_ADMIN_TOKEN, TEST_CHANNEL_CONFIG_KEY, TEST_SANDBOX_SECRET, TEST_SESSION_KEY } from "../constants";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Chromium, headless; a missing binary fails the test (never skips it) and says how to get one. */
export function launchChromium() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `This test needs Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` ` +
        "(Debian), or point CHROMIUM_PATH at a Chromium or Chrome binary.",
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

export interface CallOptions {
  method?: string;
  /** A merchant's API key, or the admin token. */
  key?: string;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface MerchantOwner {
  merchantId: string;
  merchantName: string;
  email: string;
  password: string;
  /** The merchant's test key, to make data through the API as the merchant's code would. */
  testKey: string;
}

export interface BrowserPage {
  page: Page;
  /** Script errors, CSP refusals and failed loads, except the API's own 4xx answers. */
  errors: string[];
  /** Every URL the page asked for. */
  requests: string[];
}

export interface Platform {
  origin: string;
  browser: Browser;
  /** A page in a browser context of its own (no cookies), 1280×800 unless told. */
  newPage(viewport?: { width: number; height: number }): Promise<BrowserPage>;
  /** Calls the Worker from Node, as a merchant's server would. */
  api(path: string, options?: CallOptions): Promise<Response>;
  /** Calls the Worker with the admin token. */
  adminApi(path: string, options?: Omit<CallOptions, "key">): Promise<Response>;
  /** A new merchant (POST /api/v1/admin/merchants) and its owner, who can sign in. */
  createMerchantWithOwner(): Promise<MerchantOwner>;
  stop(): Promise<void>;
}

/** A password long enough for the platform's rule (12 characters at least). */
export const PASSWORD = "correct horse battery staple";

let created = 0;

export interface PlatformOptions {
  /**
   * More plain-text bindings, or other values for the ones set here: NOTIFY_RETRY_SCHEDULE "1",
   * say, parks an undeliverable notification as a dead letter within seconds.
   */
  vars?: Record<string, string>;
}

export async function startPlatform({ vars = {} }: PlatformOptions = {}): Promise<Platform> {
  buildDashboard();
  const state = mkdtempSync(join(tmpdir(), "dashboard-browser-"));
  migrate(state);
  const worker = await unstable_startWorker({
    config: join(ROOT, "wrangler.toml"),
    bindings: {
      ADMIN_API_TOKEN: { type: "plain_text", value: TEST_ADMIN_TOKEN },
      SANDBOX_WEBHOOK_SECRET: { type: "plain_text", value: TEST_SANDBOX_SECRET },
      SANDBOX_DELAY_MS: { type: "plain_text", value: "200" },
      CHANNEL_CONFIG_KEY: { type: "plain_text", value: TEST_CHANNEL_CONFIG_KEY },
      SESSION_SIGNING_KEY: { type: "plain_text", value: TEST_SESSION_KEY },
      ...Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, { type: "plain_text" as const, value }])),
    },
    dev: { inspector: false, watch: false, persist: state, logLevel: "warn", server: { hostname: "127.0.0.1", port: 0 } },
  });
  const origin = (await worker.url).origin;
  const browser = await launchChromium();

  const api = (path: string, { method, key, body, headers = {} }: CallOptions = {}) =>
    fetch(`${origin}${path}`, {
      method: method ?? (body === undefined ? "GET" : "POST"),
      headers: {
        ...(key ? { Authorization: `Bearer ${key}` } : {}),
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const adminApi = (path: string, options: Omit<CallOptions, "key"> = {}) => api(path, { ...options, key: TEST_ADMIN_TOKEN });

  return {
    origin,
    browser,
    api,
    adminApi,
    async newPage(viewport = { width: 1280, height: 800 }) {
      const context = await browser.newContext({ baseURL: origin, viewport });
      const page = await context.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("request", (request) => requests.push(request.url()));
      page.on("console", (message) => {
        // the browser logs every 4xx answer, and the API's (401 signed out, 409…) are expected
        if (message.type() === "error" && !/^Failed to load resource: .* status of 4\d\d/.test(message.text())) {
          errors.push(message.text());
        }
      });
      page.on("pageerror", (error) => errors.push(error.message));
      return { page, errors, requests };
    },
    async createMerchantWithOwner() {
      const n = ++created;
      const merchantName = `Browser Books ${n}`;
      const made = await adminApi("/api/v1/admin/merchants", {
        body: { name: merchantName, email: `merchant-${n}@browser.test` },
      });
      if (made.status !== 201) throw new Error(`creating a merchant: ${made.status} ${await made.text()}`);
      const { merchant, api_keys } = (await made.json()) as { merchant: { id: string }; api_keys: { test: { secret: string } } };
      // unique within the platform's fresh database, and the same in every run's screenshots
      const email = `owner-${n}@browser.test`;
      const user = await adminApi(`/api/v1/admin/merchants/${merchant.id}/users`, {
        body: { email, password: PASSWORD, role: "owner" },
      });
      if (user.status !== 201) throw new Error(`adding the owner: ${user.status} ${await user.text()}`);
      return { merchantId: merchant.id, merchantName, email, password: PASSWORD, testKey: api_keys.test.secret };
    },
    async stop() {
      await browser.close();
      await worker.dispose();
      rmSync(state, { recursive: true, force: true });
    },
  };
}

/** Rebuilds assets/dashboard from the sources, as postinstall does. */
function buildDashboard() {
  const result = spawnSync(process.execPath, ["scripts/build-dashboard.mjs"], { cwd: ROOT, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`building the dashboard failed:\n${result.stdout}${result.stderr}`);
}

/** Fills in the sign-in form and sends it; whether it worked is for the caller to see. */
export async function submitSignIn(page: Page, email: string, password: string) {
  await page.goto("/dashboard/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in and waits for the signed-in frame (its Sign out button). */
export async function signIn(page: Page, email: string, password: string) {
  await submitSignIn(page, email, password);
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

/** The whole page as docs/screenshots/<name>.png (the README's pictures). */
export async function screenshot(page: Page, name: string) {
  const dir = join(ROOT, "docs/screenshots");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true, animations: "disabled" });
}
