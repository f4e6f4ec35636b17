// Sign-in rate limiting: failed sign-ins are counted per fixed window by hashed email and by
// client IP; past either limit every sign-in of that email or IP is refused until the window ends,
// the right password included, so guessing cannot go on in the background.
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { signInFailures } from "../db/schema";
import { sha256Hex } from "../crypto";
import { normalEmail } from "./people-store";

export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
export const FAILURES_PER_EMAIL = 5;
export const FAILURES_PER_IP = 20;

const windowOf = (now: number) => now - (now % THROTTLE_WINDOW_MS);

async function keysOf(email: string, ip: string | null) {
  const keys = [{ key: `email:${await sha256Hex(normalEmail(email))}`, limit: FAILURES_PER_EMAIL }];
  if (ip) keys.push({ key: `ip:${ip}`, limit: FAILURES_PER_IP });
  return keys;
}

/** Milliseconds until sign-in may be tried again, or 0 if it may be now. */
export async function signInBlockedFor(d1: D1Database, email: string, ip: string | null, now: number): Promise<number> {
  const window = windowOf(now);
  const keys = await keysOf(email, ip);
  const rows = await drizzle(d1)
    .select()
    .from(signInFailures)
    .where(sql`${signInFailures.windowStart} = ${window} AND ${signInFailures.key} IN (${sql.join(keys.map((k) => sql`${k.key}`), sql`, `)})`)
    .all();
  const over = rows.some((row) => row.failures >= keys.find((k) => k.key === row.key)!.limit);
  return over ? window + THROTTLE_WINDOW_MS - now : 0;
}

/** Counts one failed sign-in against the email and the IP (atomic increments). */
export async function recordSignInFailure(d1: D1Database, email: string, ip: string | null, now: number): Promise<void> {
  const window = windowOf(now);
  const db = drizzle(d1);
  const upserts = (await keysOf(email, ip)).map(({ key }) =>
    db
      .insert(signInFailures)
      .values({ key, windowStart: window, failures: 1 })
      .onConflictDoUpdate({ target: [signInFailures.key, signInFailures.windowStart], set: { failures: sql`${signInFailures.failures} + 1` } }),
  );
  await db.batch(upserts as [(typeof upserts)[0], ...typeof upserts]);
}

/** Drops windows that ended (the cron calls this). */
export async function pruneSignInFailures(d1: D1Database, now: number): Promise<void> {
  await drizzle(d1).delete(signInFailures).where(sql`${signInFailures.windowStart} < ${windowOf(now)}`).run();
}
