// `npm install` prints no EBADENGINE: every installed package accepts the Node versions the
// project's `engines` declares (its lowest one) and the one running the tests.
import { readFileSync } from "node:fs";
import semver from "semver";
import { describe, expect, it } from "vitest";

const ours = JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } };
const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as { packages: Record<string, unknown> };

/** The Node range of each package npm installed here (platform packages of other systems are not). */
function installedEngines(): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  for (const path of Object.keys(lock.packages)) {
    if (!path) continue;
    let manifest: { engines?: { node?: string } | string[] };
    try {
      manifest = JSON.parse(readFileSync(`${path}/package.json`, "utf8"));
    } catch {
      continue;
    }
    const node = Array.isArray(manifest.engines) ? undefined : manifest.engines?.node;
    if (node) found.push([path, node]);
  }
  return found;
}

describe("engines", () => {
  const lowest = semver.minVersion(ours.engines.node)!.version;

  it(`every installed package accepts the lowest Node the project declares (${ours.engines.node})`, () => {
    const refusing = installedEngines().filter(([, range]) => !semver.satisfies(lowest, range));
    expect(refusing).toEqual([]);
  });

  it("every installed package accepts the Node running the tests", () => {
    expect(semver.satisfies(process.version, ours.engines.node)).toBe(true);
    expect(installedEngines().filter(([, range]) => !semver.satisfies(process.version, range))).toEqual([]);
  });

  it("finds the packages it checks (the check is not vacuous)", () => {
    expect(installedEngines().map(([path]) => path)).toContain("node_modules/wrangler");
  });
});
