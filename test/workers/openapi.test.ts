import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../workers/app";
import { OPENAPI_INFO } from "../../workers/openapi/document";
import { BASE } from "./helpers";

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>;
  components: { securitySchemes: Record<string, unknown> };
}

const fetchDoc = async () => (await SELF.fetch(`${BASE}/openapi.json`)).json<OpenApiDoc>();

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 and served without authentication", async () => {
    const res = await SELF.fetch(`${BASE}/openapi.json`);
    expect(res.status).toBe(200);
    expect((await res.json<OpenApiDoc>()).openapi).toBe("3.1.0");
  });

  it("lists every API route the app serves, with its method", async () => {
    const doc = await fetchDoc();
    const served = app.routes
      .filter((r) => r.method !== "ALL" && (r.path.startsWith("/api/") || ["/healthz", "/readyz", "/metrics"].includes(r.path)))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect(served.length).toBeGreaterThan(5);
    expect(documented.sort()).toEqual([...new Set(served)].sort());
  });

  it("declares how each /api/v1 route authenticates", async () => {
    const doc = await fetchDoc();
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["adminToken", "bearerAuth", "sessionCookie"]);
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith("/api/v1/") || path.startsWith("/api/v1/webhooks/")) continue;
      for (const op of Object.values(ops)) expect(op.security, path).toBeDefined();
    }
  });
});

describe("API reference page", () => {
  // Only the page: the pool does not serve static assets (test/node/docs-page.test.ts loads them
  // in a browser).
  it("is an HTML page that references only the Worker's own paths", async () => {
    const res = await SELF.fetch(`${BASE}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/html");
    expect(res.headers.get("Content-Security-Policy")).toContain("script-src 'self'");
    const page = await res.text();
    expect(page).toContain(`<title>${OPENAPI_INFO.title}</title>`);
    expect(page).not.toMatch(/https?:|["']\/\//);
    const refs = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs).toEqual(expect.arrayContaining(["/swagger-ui/swagger-ui-bundle.js", "/swagger-ui/swagger-ui.css"]));
    for (const ref of refs) expect(ref).toMatch(/^\/\w/);
  });

  it("points Swagger UI at /openapi.json", async () => {
    const res = await SELF.fetch(`${BASE}/docs/init.js`);
    expect(res.headers.get("Content-Type")).toContain("javascript");
    expect(await res.text()).toContain('url: "/openapi.json"');
  });
});
