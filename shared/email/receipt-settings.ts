// A merchant's receipt settings (receipt_settings): whether its customers get receipts, the name
// they are sent in (default: the merchant's name) and the support address they reply to. A
// merchant with no row sends none.
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { merchants, receiptSettings } from "../db/schema";

export interface ReceiptSettings {
  enabled: boolean;
  /** The name receipts are sent in; null: the merchant's name. */
  businessName: string | null;
  supportEmail: string | null;
  /** When the merchant last changed them; null if it never did. */
  updatedAt: number | null;
}

const DEFAULTS: ReceiptSettings = { enabled: false, businessName: null, supportEmail: null, updatedAt: null };

export async function readReceiptSettings(env: Env, merchantId: string): Promise<ReceiptSettings> {
  const row = await drizzle(env.DB).select().from(receiptSettings).where(eq(receiptSettings.merchantId, merchantId)).get();
  return row ? { enabled: row.enabled, businessName: row.businessName, supportEmail: row.supportEmail, updatedAt: row.updatedAt } : DEFAULTS;
}

export async function writeReceiptSettings(env: Env, merchantId: string, change: Omit<ReceiptSettings, "updatedAt">, now = Date.now()): Promise<ReceiptSettings> {
  const settings = { ...change, updatedAt: now };
  await drizzle(env.DB)
    .insert(receiptSettings)
    .values({ merchantId, ...settings })
    .onConflictDoUpdate({ target: receiptSettings.merchantId, set: settings });
  return settings;
}

/** Who a receipt is from, when the merchant sends receipts: one read, with the merchant's name. */
export async function receiptSender(env: Env, merchantId: string): Promise<{ businessName: string; supportEmail: string } | null> {
  const row = await drizzle(env.DB)
    .select({ enabled: receiptSettings.enabled, businessName: receiptSettings.businessName, supportEmail: receiptSettings.supportEmail, name: merchants.name })
    .from(receiptSettings)
    .innerJoin(merchants, eq(merchants.id, receiptSettings.merchantId))
    .where(eq(receiptSettings.merchantId, merchantId))
    .get();
  if (!row?.enabled || !row.supportEmail) return null;
  return { businessName: row.businessName ?? row.name, supportEmail: row.supportEmail };
}
