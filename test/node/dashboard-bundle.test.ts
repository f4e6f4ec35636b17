// The dashboard as browsers get it, built by scripts/build-dashboard.mjs exactly as postinstall and
// `npm run build` build it: the first page's JS and CSS stay within 150 KB gzip'd, and nothing in
// them names another host, so the dashboard works offline and no CDN link creeps in.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BUDGET_KB = 150;
const FILES = ["app.js", "app.css"];
// Text, never fetched: the XML namespaces Preact creates SVG and MathML elements in, and the link
// in one of preact-iso's error messages.
const NOT_FETCHED = [/^http:\/\/www\.w3\.org\/(2000\/svg|1998\/Math\/MathML|1999\/xhtml|1999\/xlink)$/, /^https:\/\/github\.com\/preactjs\/preact-iso#/];

describe("the dashboard bundle", () => {
  // built apart from assets/, so that a running `npm run dev` or browser test is not disturbed
  const outdir = mkdtempSync(join(tmpdir(), "dashboard-bundle-"));
  let printed = "";
  beforeAll(() => {
    const result = spawnSync(process.execPath, ["scripts/build-dashboard.mjs", "--outdir", outdir], { cwd: ROOT, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`the build failed:\n${result.stdout}${result.stderr}`);
    printed = result.stdout;
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const read = (file: string) => readFileSync(join(outdir, file));

  it(`is at most ${BUDGET_KB} KB of JS and CSS, gzip'd`, () => {
    const kb = FILES.reduce((sum, file) => sum + gzipSync(read(file)).length / 1024, 0);
    console.log(`dashboard first page: ${kb.toFixed(1)} KB gzip (JS + CSS)`);
    expect(kb).toBeLessThanOrEqual(BUDGET_KB);
    // and the build says the same figure
    expect(printed).toContain(`= ${kb.toFixed(1)} KB gzip`);
  });

  it("names no other host: every URL in it is text that is never fetched", () => {
    const urls = FILES.flatMap((file) => [...read(file).toString("utf8").matchAll(/https?:\/\/[^\s"'`)\\]+/g)].map((m) => m[0]));
    expect(urls.filter((url) => !NOT_FETCHED.some((allowed) => allowed.test(url)))).toEqual([]);
    // protocol-relative links (//cdn.example/…) too
    const css = read("app.css").toString("utf8");
    expect(css).not.toMatch(/url\(\s*["']?\/\//);
    expect(css).not.toMatch(/@import/);
  });

  it("ships the licence of every library it bundles beside it (LICENSES.txt)", () => {
    const licences = read("LICENSES.txt").toString("utf8");
    for (const name of ["preact", "htm", "preact-iso", "uplot"]) {
      expect(licences).toContain(readFileSync(join(ROOT, "node_modules", name, "LICENSE"), "utf8").trim());
    }
  });
});
