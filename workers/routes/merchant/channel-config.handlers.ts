import type { Context } from "hono";
import { ChannelError } from "../../../shared/channels/adapter";
import {
  configStoreAvailable,
  deleteMerchantCredentials,
  merchantChannelConfig,
  saveMerchantCredentials,
} from "../../../shared/channels/channel-configs";
import { makeAdapter, type AnyChannelDefinition } from "../../../shared/channels/registry";
import { ApiError, invalidRequest, notFound } from "../../../shared/errors";
import type { AppEnv } from "../../app-env";
import { toIso } from "../../openapi/schemas";

type AppContext = Context<AppEnv>;

/** The channel's verdict as the API answers it: refused names the field; an outage is a 502. */
function verificationError(definition: AnyChannelDefinition, error: unknown): never {
  if (!(error instanceof ChannelError)) throw error;
  if (error.code === "channel_credentials_invalid") {
    throw invalidRequest(error.code, error.message, error.param ?? definition.merchantCredentials!.refusedParam);
  }
  throw new ApiError(error.status, error.status === 502 ? "api_error" : "channel_error", error.code, error.message);
}

function configJson(definition: AnyChannelDefinition, merchantId: string, livemode: boolean, credentials: unknown, accountId: string | null, updatedAt: number) {
  return {
    object: "channel_config" as const,
    channel: definition.name,
    livemode,
    account_id: accountId,
    credentials: definition.merchantCredentials!.describe(credentials),
    webhook_path: `/api/v1/webhooks/${definition.name}/${merchantId}`,
    updated_at: toIso(updatedAt),
  };
}

export const putChannelConfig = (definition: AnyChannelDefinition) => async (c: AppContext) => {
  // as this channel's schema parsed it (defaults filled, values normalised), not as sent
  const credentials: unknown = (c.req as unknown as { valid(target: "json"): unknown }).valid("json");
  const { merchant, livemode } = c.get("auth");
  const problem = definition.merchantCredentials!.modeProblem(credentials, livemode);
  if (problem) throw invalidRequest("parameter_invalid", problem.message, problem.param);
  if (!configStoreAvailable(c.env)) {
    throw new ApiError(503, "api_error", "channel_config_unavailable", "Merchant channel credentials are not enabled (CHANNEL_CONFIG_KEY).");
  }
  // Credentials the channel refuses are found out now, not at the first payment; nothing is stored unless they work.
  const { accountId } = await makeAdapter(definition, c.env, credentials, livemode)
    .verifyCredentials()
    .catch((error: unknown) => verificationError(definition, error));
  const saved = await saveMerchantCredentials(c.env, definition, merchant.id, livemode, credentials, accountId);
  return c.json(configJson(definition, merchant.id, livemode, credentials, accountId, saved.updatedAt), 200);
};

export const getChannelConfig = (definition: AnyChannelDefinition) => async (c: AppContext) => {
  const { merchant, livemode } = c.get("auth");
  const config = await merchantChannelConfig(c.env, definition, merchant.id, livemode);
  if (!config) throw notFound(`${definition.name} account configured for ${livemode ? "live" : "test"} mode`, merchant.id);
  return c.json(configJson(definition, merchant.id, livemode, config.credentials, config.accountId, config.updatedAt), 200);
};

export const deleteChannelConfig = (definition: AnyChannelDefinition) => async (c: AppContext) => {
  const { merchant, livemode } = c.get("auth");
  return c.json({ deleted: await deleteMerchantCredentials(c.env, definition.name, merchant.id, livemode) }, 200);
};
