// The dashboard's shell: every /dashboard path (a reload, a shared link to one payment) answers the
// one HTML page the app draws in, kept to this origin by its CSP and out of every cache.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BASE } from "./helpers";

// Spelled out, not imported: weakening the policy in the code must fail here.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

describe("the dashboard's shell page", () => {
  it.each(["/dashboard", "/dashboard/", "/dashboard/payments/PY123", "/dashboard/sign-in"])(
    "GET %s answers the page with its security and cache headers",
    async (path) => {
      const res = await SELF.fetch(`${BASE}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
      expect(res.headers.get("Content-Security-Policy")).toBe(CSP);
      expect(res.headers.get("Cache-Control")).toBe("no-store");
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(res.headers.get("Referrer-Policy")).toBe("same-origin");
      const page = await res.text();
      expect(page).toContain('<html lang="en">');
      expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
      expect(page).toContain('<link rel="stylesheet" href="/dashboard/app.css">');
      expect(page).toContain('<script type="module" src="/dashboard/app.js"></script>');
      expect(page).toContain('<div id="app"></div>');
      expect(page).toContain("<noscript>");
    },
  );

  it("has nothing inline that its own CSP would refuse", async () => {
    const page = await (await SELF.fetch(`${BASE}/dashboard`)).text();
    expect(page.match(/<script(?![^>]*\ssrc=)[^>]*>/g)).toBeNull();
    expect(page).not.toMatch(/<style|\sstyle=|\son\w+=/);
  });

  it("is not part of the API: the OpenAPI document does not list it", async () => {
    const document = await (await SELF.fetch(`${BASE}/openapi.json`)).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(document.paths).filter((path) => path.startsWith("/dashboard"))).toEqual([]);
  });
});
