// /docs in a real browser, on wrangler's local runtime with the static assets as deployed: Swagger
// UI must render the API from the Worker's own files and fetch nothing from another host, so the
// page works offline and a CDN link creeping back in fails here (and in the browser, by the CSP).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { unstable_startWorker } from "wrangler";
import { OPENAPI_INFO } from "../../workers/openapi/document";
import { launchChromium } from "../browser/harness";

describe("the /docs page in a browser", () => {
  it("shows the payments operations, loading everything from the Worker, with no errors", async () => {
    const browser = await launchChromium();
    onTestFinished(() => browser.close());
    const state = mkdtempSync(join(tmpdir(), "docs-page-"));
    onTestFinished(() => rmSync(state, { recursive: true, force: true }));
    const worker = await unstable_startWorker({
      config: fileURLToPath(new URL("../../wrangler.toml", import.meta.url)),
      dev: { inspector: false, watch: false, persist: state, logLevel: "warn", server: { hostname: "127.0.0.1", port: 0 } },
    });
    onTestFinished(() => worker.dispose());
    const origin = (await worker.url).origin;
    const page = await browser.newPage();
    const requested: string[] = [];
    const errors: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    // CSP violations, failed loads and script errors all land here.
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    page.on("pageerror", (error) => errors.push(error.message));

    await page.goto(`${origin}/docs`);
    await page.getByRole("heading", { level: 3, name: /^Payments\b/ }).waitFor();
    const create = page.getByRole("button", { name: /^POST \/api\/v1\/payments / });
    await create.click();
    await page.getByRole("button", { name: "Try it out" }).waitFor();

    expect(await page.title()).toBe(OPENAPI_INFO.title);
    expect(await create.getAttribute("aria-expanded")).toBe("true");
    expect(requested.map((url) => new URL(url).pathname)).toEqual(
      expect.arrayContaining(["/swagger-ui/swagger-ui-bundle.js", "/swagger-ui/swagger-ui.css", "/openapi.json"]),
    );
    expect(requested.filter((url) => new URL(url).origin !== origin)).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});
