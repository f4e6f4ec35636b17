// The platform on wrangler's local runtime (workerd through miniflare) as a process group of its
// own, for the scripts that load it (`npm run bench`) or crash it (`npm run chaos`): migrations on
// a state directory, start, wait until it answers, stop, or kill it outright.
import { spawn, spawnSync } from "node:child_process";
import { openSync, readFileSync, readdirSync } from "node:fs";

const WRANGLER = "node_modules/.bin/wrangler";

/** Applies the D1 migrations to the local database kept in `state`. */
export function migrate(state) {
  const result = spawnSync(WRANGLER, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", state], {
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  if (result.status !== 0) throw new Error(`migrations failed:\n${result.stdout}${result.stderr}`);
}

/**
 * Starts scripts/serve.mjs on `port` with its state in `state` and `vars` as plain-text bindings,
 * its output appended to `log`. Answers the process group and how to end it. `config` is the
 * platform's wrangler.toml unless another Worker is started the same way (bench/probe/).
 */
export function startPlatform({ port, state, vars = {}, log, config = "wrangler.toml" }) {
  const out = openSync(log, "a");
  const child = spawn(
    process.execPath,
    ["scripts/serve.mjs", String(port), state, config, ...Object.entries(vars).map(([k, v]) => `${k}:${v}`)],
    // offline, the runtime's fetch of Cloudflare's request metadata would fail at every start
    { stdio: ["ignore", out, out], detached: true, env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false" } },
  );
  const signal = (name) => {
    try {
      process.kill(-child.pid, name);
    } catch {
      // already gone
    }
  };
  const exited = new Promise((resolve) => child.on("exit", resolve));
  return {
    pid: child.pid,
    /** A clean stop; resolves once the process has exited (its state directory is then free). */
    stop: () => {
      signal("SIGTERM");
      return exited;
    },
    /** A crash: SIGKILL to the whole group (node and workerd), nothing gets to finish. */
    kill: async () => {
      signal("SIGKILL");
      await exited;
    },
  };
}

export async function waitForServer(base, { path = "/healthz", timeoutMs = 60_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}${path}`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing answered ${base}${path} within ${timeoutMs} ms`);
}

/** The workerd processes of a process group started by startPlatform. */
export function runtimePids(groupId) {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const pgrp = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
        return pgrp === groupId && readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "workerd";
      } catch {
        return false;
      }
    });
}

/** The resident memory (MB) of those workerd processes (runtimePids), together. */
export function runtimeRssMb(groupId) {
  return runtimePids(groupId).reduce((sum, pid) => {
    try {
      return sum + Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
    } catch {
      return sum; // exited meanwhile
    }
  }, 0);
}
