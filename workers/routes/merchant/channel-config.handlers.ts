import { ChannelError } from "../../../shared/channels/adapter";
import {
  configStoreAvailable,
  deleteMerchantStripeConfig,
  merchantStripeConfigOf,
  saveMerchantStripeConfig,
} from "../../../shared/channels/channel-configs";
import { StripeAdapter } from "../../../shared/channels/stripe/adapter";
import { ApiError, invalidRequest } from "../../../shared/errors";
import type { AppRouteHandler } from "../../openapi/router";
import { toIso } from "../../openapi/schemas";
import type * as routes from "./channel-config.routes";

const modeOf = (key: string) => (key.split("_")[1] === "live" ? "live" : "test");

/** Stripe's verdict on the key as the API answers it: refused names secret_key; an outage is a 502. */
function verificationError(error: unknown): never {
  if (!(error instanceof ChannelError)) throw error;
  if (error.code === "channel_credentials_invalid") throw invalidRequest(error.code, error.message, "secret_key");
  throw new ApiError(error.status, error.status === 502 ? "api_error" : "channel_error", error.code, error.message);
}

export const putStripeConfig: AppRouteHandler<typeof routes.putStripeConfig> = async (c) => {
  const body = c.req.valid("json");
  const { merchant, livemode } = c.get("auth");
  const mode = livemode ? "live" : "test";
  for (const [param, key] of [["secret_key", body.secret_key], ["publishable_key", body.publishable_key]] as const) {
    if (key !== undefined && modeOf(key) !== mode) {
      throw invalidRequest("parameter_invalid", `${param} is a ${modeOf(key)} key; this API key configures ${mode} mode.`, param);
    }
  }
  if (!configStoreAvailable(c.env)) {
    throw new ApiError(503, "api_error", "channel_config_unavailable", "Merchant channel credentials are not enabled (CHANNEL_CONFIG_KEY).");
  }
  const secrets = { secretKey: body.secret_key, webhookSecret: body.webhook_secret, publishableKey: body.publishable_key ?? null };
  // A key Stripe refuses is found out now, not at the first payment; nothing is stored unless it works.
  const { accountId } = await new StripeAdapter(merchantStripeConfigOf(c.env, secrets)).verifyCredentials().catch(verificationError);
  const saved = await saveMerchantStripeConfig(c.env, merchant.id, livemode, secrets);
  return c.json(
    {
      object: "channel_config" as const,
      channel: "stripe" as const,
      livemode,
      account_id: accountId,
      publishable_key: saved.publishableKey,
      secret_key_hint: `sk_${mode}_…${body.secret_key.slice(-4)}`,
      webhook_path: `/api/v1/webhooks/stripe/${merchant.id}`,
      updated_at: toIso(saved.updatedAt),
    },
    200,
  );
};

export const deleteStripeConfig: AppRouteHandler<typeof routes.deleteStripeConfig> = async (c) => {
  const { merchant, livemode } = c.get("auth");
  return c.json({ deleted: await deleteMerchantStripeConfig(c.env, merchant.id, livemode) }, 200);
};
