// A merchant's webhook endpoint for a mode, and the secret that signs every notification to it
// (and to payments' notify_url). Secrets are sealed in D1 with CHANNEL_CONFIG_KEY. Rotation keeps
// the previous secret signing beside the new one until its overlap window ends.
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { decryptSecret, encryptSecret, randomBase62 } from "../crypto";
import { webhookEndpoints } from "../db/schema";

export type Endpoint = typeof webhookEndpoints.$inferSelect;

const where = (merchantId: string, livemode: boolean) =>
  and(eq(webhookEndpoints.merchantId, merchantId), eq(webhookEndpoints.livemode, livemode));

const newSecret = () => `whsec_${randomBase62(32)}`;

export const findEndpoint = (env: Env, merchantId: string, livemode: boolean) =>
  drizzle(env.DB).select().from(webhookEndpoints).where(where(merchantId, livemode)).get();

/**
 * Sets the endpoint's URL and event filter. Answers the signing secret only when this call made
 * it (the first time): it is never shown again.
 */
export async function putEndpoint(env: Env, merchantId: string, livemode: boolean, input: { url: string; events: string[] }) {
  const now = Date.now();
  const existing = await findEndpoint(env, merchantId, livemode);
  if (existing) {
    const [updated] = await drizzle(env.DB)
      .update(webhookEndpoints)
      .set({ url: input.url, events: JSON.stringify(input.events), updatedAt: now })
      .where(where(merchantId, livemode))
      .returning();
    return { endpoint: updated!, secret: null };
  }
  const secret = newSecret();
  const [created] = await drizzle(env.DB)
    .insert(webhookEndpoints)
    .values({
      merchantId,
      livemode,
      url: input.url,
      events: JSON.stringify(input.events),
      secretSealed: await encryptSecret(env.CHANNEL_CONFIG_KEY, secret),
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  // a concurrent first call won the insert: it showed the secret; this one updates
  if (!created) return putEndpoint(env, merchantId, livemode, input);
  return { endpoint: created, secret };
}

/** A new signing secret; the old one keeps signing for `overlapSeconds`. */
export async function rotateSecret(env: Env, merchantId: string, livemode: boolean, overlapSeconds: number) {
  const now = Date.now();
  const secret = newSecret();
  const sealed = await encryptSecret(env.CHANNEL_CONFIG_KEY, secret);
  const existing = await findEndpoint(env, merchantId, livemode);
  const orm = drizzle(env.DB);
  const [endpoint] = existing
    ? await orm
        .update(webhookEndpoints)
        .set({ secretSealed: sealed, previousSealed: existing.secretSealed, previousExpiresAt: now + overlapSeconds * 1000, updatedAt: now })
        .where(where(merchantId, livemode))
        .returning()
    : await orm
        .insert(webhookEndpoints)
        .values({ merchantId, livemode, secretSealed: sealed, createdAt: now, updatedAt: now })
        .onConflictDoNothing()
        .returning();
  // a concurrent first call (a delivery, a reveal) made the row meanwhile: rotate that one
  if (!endpoint) return rotateSecret(env, merchantId, livemode, overlapSeconds);
  return { endpoint, secret };
}

/**
 * The merchant's endpoint for the mode, made now (no URL, a new secret) if there is none yet.
 * Concurrent first callers all get the one row that won the insert, so they agree on its secret.
 */
export async function ensureEndpoint(env: Env, merchantId: string, livemode: boolean): Promise<Endpoint> {
  const existing = await findEndpoint(env, merchantId, livemode);
  if (existing) return existing;
  const now = Date.now();
  await drizzle(env.DB)
    .insert(webhookEndpoints)
    .values({ merchantId, livemode, secretSealed: await encryptSecret(env.CHANNEL_CONFIG_KEY, newSecret()), createdAt: now, updatedAt: now })
    .onConflictDoNothing();
  return (await findEndpoint(env, merchantId, livemode))!;
}

/** The endpoint's secrets that sign at `now`: the current one, and the previous until its overlap ends. */
export async function currentSecrets(env: Env, endpoint: Endpoint, now: number) {
  const open = (sealed: string) => decryptSecret(env.CHANNEL_CONFIG_KEY, sealed);
  const { previousSealed, previousExpiresAt } = endpoint;
  return {
    secret: await open(endpoint.secretSealed),
    previous:
      previousSealed && previousExpiresAt && previousExpiresAt > now
        ? { secret: await open(previousSealed), expiresAt: previousExpiresAt }
        : null,
  };
}

/**
 * The secrets that sign a notification now: the current one, and the previous during overlap.
 * `endpoint` is the merchant's endpoint row as the caller found it (undefined: none yet).
 */
export async function signingSecrets(
  env: Env,
  found: Endpoint | undefined,
  merchantId: string,
  livemode: boolean,
  now: number,
): Promise<string[]> {
  // notify_url without an endpoint: the secret is made now, the one GET …/webhook-endpoint/secret shows.
  const { secret, previous } = await currentSecrets(env, found ?? (await ensureEndpoint(env, merchantId, livemode)), now);
  return previous ? [secret, previous.secret] : [secret];
}
