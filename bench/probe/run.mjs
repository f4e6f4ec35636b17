// `node bench/probe/run.mjs`: the ceiling probe alone, started and loaded as `npm run bench` starts
// and loads the platform (same connections and duration, BENCH_CONNECTIONS / BENCH_DURATION), on a
// fresh state directory; prints its figures and stops it.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { runtimeRssMb, waitForServer } from "../../scripts/local-platform.mjs";
import { loader } from "../load.mjs";
import { measureCeiling } from "./measure.mjs";
import { startProbe } from "./start.mjs";

const PORT = 8796;
const BASE = `http://127.0.0.1:${PORT}`;
// on tmpfs when there is one, as the bench's platform state (local persistence fsyncs every object)
const STATE = existsSync("/dev/shm") ? `/dev/shm/edge-payments-probe-${process.pid}` : ".wrangler/probe-state";
const LOG = "bench/probe/wrangler.log";
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);

rmSync(STATE, { recursive: true, force: true });
rmSync(LOG, { force: true });
const probe = startProbe({ port: PORT, state: STATE, log: LOG });
const stop = async () => {
  await probe.stop();
  rmSync(STATE, { recursive: true, force: true });
};
process.on("SIGINT", () => stop().then(() => process.exit(130)));

let idleMb = 0;
let peakMb = 0;
const sampler = setInterval(() => (peakMb = Math.max(peakMb, runtimeRssMb(probe.pid))), 100);
let measured;
try {
  await waitForServer(BASE, { path: "/bare" });
  idleMb = runtimeRssMb(probe.pid);
  measured = await measureCeiling({ load: loader({ connections: CONNECTIONS, duration: DURATION }), base: BASE, duration: DURATION });
} finally {
  clearInterval(sampler);
  await stop();
}

const pad = (s, n) => String(s).padEnd(n);
console.log(`\n${CONNECTIONS} connections, ${DURATION} s each, the ceiling probe on wrangler's local runtime (workerd, inspector off), state on ${STATE}\n`);
console.log(`${pad("route", 30)}${pad("req/s", 8)}${pad("×bare", 7)}${pad("2xx/s", 8)}${pad("p50 ms", 8)}${pad("p99 ms", 8)}answers by status`);
for (const r of measured.rows) {
  const failed = r.sqlite_nomem + r.internal ? ` (SQLITE_NOMEM ${r.sqlite_nomem}, internal error ${r.internal})` : "";
  const errors = r.errors ? `, ${r.errors} connection errors` : "";
  console.log(`${pad(r.name, 30)}${pad(r.rps, 8)}${pad(r.rps_ratio, 7)}${pad(Math.round(r.ok / DURATION), 8)}${pad(r.p50, 8)}${pad(r.p99, 8)}${JSON.stringify(r.codes)}${failed}${errors}`);
}
console.log(`\nceiling: ${measured.ceiling_rps} new SQLite-backed objects created a second`);
// the internal errors' detail: the runtime logs each one (SQLITE_NOMEM, every one so far)
const logged = readFileSync(LOG, "utf8").split("\n").filter((l) => l.includes("ERROR"));
console.log(`runtime errors logged: ${logged.length} (SQLITE_NOMEM: ${logged.filter((l) => l.includes("SQLITE_NOMEM")).length}); see ${LOG}`);
console.log(`runtime memory (workerd RSS): idle ${Math.round(idleMb)} MB, peak ${Math.round(peakMb)} MB`);
