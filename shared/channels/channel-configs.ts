// A merchant's own channel credentials (channel_configs), one row per channel and mode. The
// secrets are sealed with AES-256-GCM under CHANNEL_CONFIG_KEY before they reach D1; only the
// publishable key is stored in the clear.
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { decryptSecret, encryptSecret } from "../crypto";
import { channelConfigs } from "../db/schema";
import { newId } from "../ids";
import type { StripeConfig } from "./stripe/config";

export interface MerchantStripeSecrets {
  secretKey: string;
  webhookSecret: string;
  publishableKey: string | null;
}

const where = (merchantId: string, livemode: boolean) =>
  and(eq(channelConfigs.merchantId, merchantId), eq(channelConfigs.channel, "stripe"), eq(channelConfigs.livemode, livemode));

export const configStoreAvailable = (env: Env) => Boolean(env.CHANNEL_CONFIG_KEY);

/** The Stripe configuration a merchant's secrets make; the API host is the platform's. */
export const merchantStripeConfigOf = (env: Env, secrets: MerchantStripeSecrets): StripeConfig => ({
  apiKey: secrets.secretKey,
  webhookSecret: secrets.webhookSecret,
  publishableKey: secrets.publishableKey,
  apiBase: env.STRIPE_API_BASE || null,
});

export async function saveMerchantStripeConfig(env: Env, merchantId: string, livemode: boolean, secrets: MerchantStripeSecrets) {
  const now = Date.now();
  const sealed = await encryptSecret(
    env.CHANNEL_CONFIG_KEY,
    JSON.stringify({ secretKey: secrets.secretKey, webhookSecret: secrets.webhookSecret }),
  );
  const row = {
    id: newId("cc"),
    merchantId,
    channel: "stripe",
    livemode,
    publishableKey: secrets.publishableKey,
    secretEncrypted: sealed,
    enabled: true,
    createdAt: now,
    updatedAt: now,
  };
  const [saved] = await drizzle(env.DB)
    .insert(channelConfigs)
    .values(row)
    .onConflictDoUpdate({
      target: [channelConfigs.merchantId, channelConfigs.channel, channelConfigs.livemode],
      set: { publishableKey: row.publishableKey, secretEncrypted: sealed, enabled: true, updatedAt: now },
    })
    .returning();
  return saved!;
}

export async function deleteMerchantStripeConfig(env: Env, merchantId: string, livemode: boolean) {
  const deleted = await drizzle(env.DB).delete(channelConfigs).where(where(merchantId, livemode)).returning();
  return deleted.length > 0;
}

/** The merchant's own Stripe account for a mode, if it has one. */
export async function merchantStripeConfig(env: Env, merchantId: string, livemode: boolean): Promise<StripeConfig | null> {
  const row = await drizzle(env.DB).select().from(channelConfigs).where(where(merchantId, livemode)).get();
  if (!row?.enabled || !row.secretEncrypted || !configStoreAvailable(env)) return null;
  const secrets = JSON.parse(await decryptSecret(env.CHANNEL_CONFIG_KEY, row.secretEncrypted)) as {
    secretKey: string;
    webhookSecret: string;
  };
  return merchantStripeConfigOf(env, { ...secrets, publishableKey: row.publishableKey });
}
