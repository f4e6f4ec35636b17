// npm run dev leaves out the local runtime's internal traces of a fetch whose host does not
// resolve (the platform logs its own warning per failed attempt), and nothing else.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { withoutRuntimeNetworkTraces } from "../../scripts/runtime-log-filter.mjs";

const ESC = "\x1b";
const trace = (id: string) =>
  [
    `${ESC}[31m✘ ${ESC}[41;31m[${ESC}[41;97mERROR${ESC}[41;31m]${ESC}[0m ${ESC}[1me = kj/async-io-unix.c++:1298: failed: DNS lookup failed.; params.host = example.com; params.service = ; gai_strerror(status) = Name or service not known${ESC}[0m`,
    "",
    `  stack: /work/main/node_modules/@cloudflare/workerd-linux-64/bin/workerd@51f50be /work/main/node_modules/@cloudflare/workerd-linux-64/bin/workerd@51f5bb0; sentryErrorContext = jsgInternalError; wdErrId = ${id}`,
    "",
    "",
  ];
const warning = `${ESC}[33m▲ ${ESC}[43;33m[${ESC}[43;30mWARNING${ESC}[43;33m]${ESC}[0m ${ESC}[1m{"level":"warn","msg":"notification attempt failed","host":"example.com"}${ESC}[0m`;

async function filtered(lines: string[], chunk = 7): Promise<string[]> {
  const text = lines.join("\n") + "\n";
  // split at arbitrary points, as a pipe delivers it
  const pieces = Array.from({ length: Math.ceil(text.length / chunk) }, (_, i) => text.slice(i * chunk, (i + 1) * chunk));
  let out = "";
  for await (const part of Readable.from(pieces).pipe(withoutRuntimeNetworkTraces())) out += part;
  return out.split("\n").slice(0, -1);
}

describe("the dev output filter", () => {
  it("drops a DNS failure's trace and the uncaught error that names it, keeps the platform's warning", async () => {
    const lines = [
      "[wrangler:info] POST /api/v1/payments 201 Created (36ms)",
      ...trace("udbb8mn42k5sm15qjgrkeck4"),
      ...trace("flsvd4549qr50vnm9rftn4so"),
      warning,
      `${ESC}[31m✘ ${ESC}[41;31m[${ESC}[41;97mERROR${ESC}[41;31m]${ESC}[0m ${ESC}[1mUncaught Error: internal error; reference = udbb8mn42k5sm15qjgrkeck4 ${ESC}[0m`,
      "[wrangler:info] QUEUE notifications 0/1 (36ms)",
    ];
    expect(await filtered(lines)).toEqual([lines[0], warning, "[wrangler:info] QUEUE notifications 0/1 (36ms)"]);
  });

  it("keeps every other error, an uncaught internal error of another reference included", async () => {
    const lines = [
      `✘ [ERROR] Uncaught Error: internal error; reference = someotherid000000000000`,
      `✘ [ERROR] {"level":"error","msg":"unhandled error"}`,
      "  stack: at something (file.js:1)",
      "[wrangler:info] Ready on http://127.0.0.1:8787",
    ];
    expect(await filtered(lines)).toEqual(lines);
  });
});
