import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../workers/app";
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
      .filter((r) => r.method !== "ALL" && (r.path.startsWith("/api/") || r.path === "/healthz"))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect(served.length).toBeGreaterThan(5);
    expect(documented.sort()).toEqual([...new Set(served)].sort());
  });

  it("declares how each /api/v1 route authenticates", async () => {
    const doc = await fetchDoc();
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["adminToken", "bearerAuth"]);
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith("/api/v1/") || path.startsWith("/api/v1/webhooks/")) continue;
      for (const op of Object.values(ops)) expect(op.security, path).toBeDefined();
    }
  });
});

describe("API reference page", () => {
  it("serves an HTML page that loads /openapi.json", async () => {
    const res = await SELF.fetch(`${BASE}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/html");
    expect(await res.text()).toContain("/openapi.json");
  });
});
