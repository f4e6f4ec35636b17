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
    : await orm.insert(webhookEndpoints).values({ merchantId, livemode, secretSealed: sealed, createdAt: now, updatedAt: now }).returning();
  return { endpoint: endpoint!, secret };
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
  // notify_url without an endpoint: a secret is made now; rotate-secret shows the merchant one.
  const endpoint = found ?? (await rotateSecret(env, merchantId, livemode, 0)).endpoint;
  const sealed = [endpoint.secretSealed];
  if (endpoint.previousSealed && (endpoint.previousExpiresAt ?? 0) > now) sealed.push(endpoint.previousSealed);
  return Promise.all(sealed.map((s) => decryptSecret(env.CHANNEL_CONFIG_KEY, s)));
}
