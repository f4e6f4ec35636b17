// Starts the ceiling probe (worker.ts) on wrangler's local runtime the way the bench starts the
// platform (scripts/serve.mjs through startPlatform): inspector off, state in `state`, its own
// process group.
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startPlatform } from "../../scripts/local-platform.mjs";

// The probe's whole configuration, written to its state directory rather than passed inline:
// unstable_startWorker, given no config file, looks for one upwards from the entrypoint and would
// merge in the platform's wrangler.toml (its Durable Objects, queues, assets and crons).
const CONFIG = {
  name: "ceiling-probe",
  main: fileURLToPath(new URL("worker.ts", import.meta.url)),
  compatibility_date: "2026-04-20", // the platform's
  compatibility_flags: ["nodejs_compat"],
  durable_objects: { bindings: [{ name: "OBJECT", class_name: "ProbeObject" }] },
  migrations: [{ tag: "v1", new_sqlite_classes: ["ProbeObject"] }],
  d1_databases: [{ binding: "DB", database_name: "probe", database_id: "00000000-0000-0000-0000-000000000001" }],
};

/** Answers the process group and how to end it, as startPlatform does. */
export function startProbe({ port, state, log }) {
  mkdirSync(state, { recursive: true });
  const config = `${state}/wrangler.json`;
  writeFileSync(config, `${JSON.stringify(CONFIG, null, 2)}\n`);
  return startPlatform({ port, state, log, config });
}
