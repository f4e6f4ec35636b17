// A channel is a plug-in: its folder under shared/channels/ and one line in the registry. Nothing
// else in the code may name one, or adding a channel would again mean editing files all over.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const CHANNEL_DIR = "shared/channels";
const channels = readdirSync(CHANNEL_DIR).filter((name) => statSync(join(CHANNEL_DIR, name)).isDirectory());

/** The sandbox is also the platform's own processor: its object and its test-helper route are its own. */
const OWNED_ELSEWHERE: Record<string, string[]> = {
  sandbox: ["durable-objects/sandbox-processor.ts", "workers/routes/sandbox/"],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

describe("channels as plug-ins", () => {
  it("finds the channel folders", () => {
    expect(channels).toEqual(expect.arrayContaining(["sandbox", "stripe"]));
  });

  it("names a channel only in its own folder and the registry", () => {
    const offenders: string[] = [];
    for (const file of ["workers", "durable-objects", "queues", "shared"].flatMap(sources)) {
      const text = readFileSync(file, "utf8");
      // a channel's folder may use any word ("sandbox" is also PayPal's test environment)
      if (channels.some((channel) => file.startsWith(join(CHANNEL_DIR, channel) + "/")) || file === join(CHANNEL_DIR, "registry.ts")) continue;
      for (const channel of channels) {
        if ((OWNED_ELSEWHERE[channel] ?? []).some((own) => file.startsWith(own))) continue;
        const named = new RegExp(`["'\`]${channel}["'\`]|channels/${channel}/`).exec(text);
        // an example in the OpenAPI document is documentation, not a branch on the channel
        if (named && !text.slice(Math.max(0, named.index - 20), named.index).includes("example")) offenders.push(`${file}: ${named[0]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("registers each folder with one line in the registry", () => {
    const registry = readFileSync(join(CHANNEL_DIR, "registry.ts"), "utf8");
    for (const channel of channels) expect(registry).toMatch(new RegExp(`from "\\./${channel}/definition"`));
  });
});
