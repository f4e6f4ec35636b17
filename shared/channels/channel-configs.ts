// A merchant's own channel credentials (channel_configs), one row per channel and mode. They are
// sealed with AES-256-GCM under CHANNEL_CONFIG_KEY before they reach D1, as the channel's schema
// parsed them; what the API shows back is the channel's description of them, never a secret.
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { decryptSecret, encryptSecret } from "../crypto";
import { channelConfigs } from "../db/schema";
import { newId } from "../ids";
import type { ChannelDefinition } from "./definition";
import { log } from "../observability/logger";

const where = (channel: string, merchantId: string, livemode: boolean) =>
  and(eq(channelConfigs.merchantId, merchantId), eq(channelConfigs.channel, channel), eq(channelConfigs.livemode, livemode));

export const configStoreAvailable = (env: Env) => Boolean(env.CHANNEL_CONFIG_KEY);

export async function saveMerchantCredentials<C>(
  env: Env,
  definition: ChannelDefinition<string, C>,
  merchantId: string,
  livemode: boolean,
  credentials: C,
  accountId: string,
) {
  const now = Date.now();
  const sealed = await encryptSecret(env.CHANNEL_CONFIG_KEY, JSON.stringify(credentials));
  const row = { id: newId("cc"), merchantId, channel: definition.name, livemode, accountId, secretEncrypted: sealed, enabled: true, createdAt: now, updatedAt: now };
  const [saved] = await drizzle(env.DB)
    .insert(channelConfigs)
    .values(row)
    .onConflictDoUpdate({
      target: [channelConfigs.merchantId, channelConfigs.channel, channelConfigs.livemode],
      set: { accountId, secretEncrypted: sealed, enabled: true, updatedAt: now },
    })
    .returning();
  return saved!;
}

export async function deleteMerchantCredentials(env: Env, channel: string, merchantId: string, livemode: boolean) {
  const deleted = await drizzle(env.DB).delete(channelConfigs).where(where(channel, merchantId, livemode)).returning();
  return deleted.length > 0;
}

/** The merchant's stored configuration of a channel for a mode, its credentials opened. */
export async function merchantChannelConfig<C>(env: Env, definition: ChannelDefinition<string, C>, merchantId: string, livemode: boolean) {
  const row = await drizzle(env.DB).select().from(channelConfigs).where(where(definition.name, merchantId, livemode)).get();
  if (!row?.enabled || !row.secretEncrypted || !configStoreAvailable(env) || !definition.merchantCredentials) return null;
  const parsed = definition.merchantCredentials.schema.safeParse(JSON.parse(await decryptSecret(env.CHANNEL_CONFIG_KEY, row.secretEncrypted)));
  if (!parsed.success) {
    // sealed in a shape the channel no longer reads: the merchant must save its credentials again
    log.error("stored channel credentials unreadable", { channel: definition.name, merchant_id: merchantId });
    return null;
  }
  return { credentials: parsed.data, accountId: row.accountId, updatedAt: row.updatedAt };
}

/** The merchant's own credentials at a channel for a mode, if it has configured them. */
export async function merchantCredentials<C>(env: Env, definition: ChannelDefinition<string, C>, merchantId: string, livemode: boolean): Promise<C | null> {
  return (await merchantChannelConfig(env, definition, merchantId, livemode))?.credentials ?? null;
}
