// The local runtime's own ceiling, measured in the same run as the platform: how many new
// SQLite-backed Durable Objects a second it creates (what a payment create costs it most), beside
// the probe's bare route, one existing object and one D1 query.

const ROUTES = [
  ["GET", "/bare"],
  ["GET", "/d1"],
  ["POST", "/existing-object"],
  // last: the objects it creates stay open ~10 s and would take memory from the routes before it
  ["POST", "/new-object"],
];

/**
 * Loads each probe route with `load` (bench/load.mjs). Answers the rows, each with `rps_ratio` to the
 * probe's bare route and its failed answers by what the runtime said: `sqlite_nomem` (the object
 * reset with SQLITE_NOMEM) and `internal` (an internal error, whose detail only the runtime's log
 * holds), and `ceiling_rps`: new objects created successfully per second over `duration` (s).
 */
export async function measureCeiling({ load, base, duration }) {
  // each route once and the bare route for 2 s, so that no measured request pays for a first use
  for (const [method, path] of ROUTES) await (await fetch(`${base}${path}`, { method })).text();
  await load("probe warmup", { url: `${base}/bare`, duration: 2 });

  const rows = [];
  for (const [method, path] of ROUTES) {
    const failed = { sqlite_nomem: 0, internal: 0 };
    // a failed answer's body is the first line of the error the Worker caught (bench/probe/worker.ts)
    const onResponse = (status, body) => {
      if (status < 500) return;
      if (body.includes("SQLITE_NOMEM")) failed.sqlite_nomem++;
      else if (body.startsWith("internal error")) failed.internal++;
    };
    const row = await load(`probe ${method} ${path}`, { url: base, requests: [{ method, path, onResponse }] });
    rows.push({ ...row, ...failed });
  }
  const bare = rows[0];
  const created = rows.find((r) => r.name.endsWith("/new-object"));
  return {
    rows: rows.map((r) => ({ ...r, rps_ratio: +(r.rps / bare.rps).toFixed(2) })),
    ceiling_rps: Math.round(created.ok / duration),
  };
}
