// The platform's log lines as the runtime's console receives them, parsed: every Worker, Durable
// Object and queue consumer of the tests runs in this isolate, so one spy on the console sees them all.
import { vi } from "vitest";

export type LogLine = Record<string, unknown> & { level: string; message: string };

export function captureLogs() {
  const raw: string[] = [];
  const spies = (["log", "info", "debug", "warn", "error"] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      raw.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    }),
  );
  return {
    /** Everything written to the console, as written. */
    raw: () => raw.join("\n"),
    /** The lines that are the logger's JSON. */
    lines: (): LogLine[] =>
      raw.flatMap((text) => {
        try {
          const parsed = JSON.parse(text) as LogLine;
          return typeof parsed.message === "string" ? [parsed] : [];
        } catch {
          return [];
        }
      }),
    /** Gives the console back, and passes on what went wrong meanwhile, so a failing test shows it. */
    restore: () => {
      spies.forEach((spy) => spy.mockRestore());
      for (const text of raw) if (/"level":"(warn|error)"/.test(text)) console.warn(text);
    },
  };
}
