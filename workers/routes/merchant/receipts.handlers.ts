import { readReceiptSettings, writeReceiptSettings, type ReceiptSettings } from "../../../shared/email/receipt-settings";
import { toIsoOrNull } from "../../openapi/schemas";
import type { AppRouteHandler } from "../../openapi/router";
import type * as routes from "./receipts.routes";

const toSettingsJson = (settings: ReceiptSettings) => ({
  object: "receipt_settings" as const,
  enabled: settings.enabled,
  business_name: settings.businessName,
  support_email: settings.supportEmail,
  updated_at: toIsoOrNull(settings.updatedAt),
});

export const getReceiptSettings: AppRouteHandler<typeof routes.getReceiptSettings> = async (c) =>
  c.json(toSettingsJson(await readReceiptSettings(c.env, c.get("auth").merchant.id)), 200);

export const putReceiptSettings: AppRouteHandler<typeof routes.putReceiptSettings> = async (c) => {
  const body = c.req.valid("json");
  const settings = await writeReceiptSettings(c.env, c.get("auth").merchant.id, {
    enabled: body.enabled,
    businessName: body.business_name,
    supportEmail: body.support_email,
  });
  return c.json(toSettingsJson(settings), 200);
};
