// The platform for `npm run bench` and `npm run chaos`: wrangler's own local runtime (workerd
// through miniflare), as `wrangler dev` runs it, but with the devtools inspector off. With the inspector on, wrangler's
// dev proxy posts every inspector message to its Node process over a new loopback connection;
// under load those pile up by the thousand and end in "Too many open files" — a cost of the
// debugging harness, not of the platform, so the benchmark leaves it out.
// Arguments: port, state directory, wrangler config (the platform's wrangler.toml, or the bench's
// ceiling probe), then NAME:value plain-text bindings.
import { unstable_startWorker } from "wrangler";

const [port, persist, config, ...vars] = process.argv.slice(2);
const bindings = Object.fromEntries(
  vars.map((pair) => {
    const at = pair.indexOf(":");
    return [pair.slice(0, at), { type: "plain_text", value: pair.slice(at + 1) }];
  }),
);
const worker = await unstable_startWorker({
  config,
  bindings,
  // testScheduled: the bench and the crash test fire the cron by hand (/__scheduled; with static
  // assets in front, /cdn-cgi/handler/scheduled does not reach the Worker), as production's trigger
  // would every 5 minutes
  dev: { inspector: false, testScheduled: true, watch: false, persist, logLevel: process.env.SERVE_LOG_LEVEL ?? "warn", server: { hostname: "127.0.0.1", port: Number(port) } },
});
await worker.ready;
const stop = async () => {
  await worker.dispose();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
