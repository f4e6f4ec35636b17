import {
  currentSecrets,
  type Endpoint,
  ensureEndpoint,
  findEndpoint,
  putEndpoint,
  rotateSecret,
} from "../../../shared/notifications/endpoints";
import { sendNotification } from "../../../shared/notifications/send";
import { targetUrlProblem } from "../../../shared/notifications/target-url";
import { testEventJson } from "../../../shared/notifications/test-event";
import { ApiError, conflict, invalidRequest, notFound } from "../../../shared/errors";
import type { EventType } from "../../../shared/events/event";
import type { AppRouteHandler } from "../../openapi/router";
import { toIso, toIsoOrNull } from "../../openapi/schemas";
import type * as routes from "./webhook-endpoint.routes";

const endpointJson = (e: Endpoint, secret: string | null) => ({
  object: "webhook_endpoint" as const,
  livemode: e.livemode,
  url: e.url,
  events: JSON.parse(e.events) as EventType[],
  ...(secret ? { secret } : {}),
  previous_secret_expires_at: e.previousExpiresAt && e.previousExpiresAt > Date.now() ? toIsoOrNull(e.previousExpiresAt) : null,
  updated_at: toIso(e.updatedAt),
});

function requireSecretStore(env: Env) {
  if (!env.CHANNEL_CONFIG_KEY) {
    throw new ApiError(503, "api_error", "secret_store_unavailable", "Merchant secrets are not enabled (CHANNEL_CONFIG_KEY).");
  }
}

export const putWebhookEndpoint: AppRouteHandler<typeof routes.putWebhookEndpoint> = async (c) => {
  const body = c.req.valid("json");
  const { merchant, livemode } = c.get("auth");
  const problem = targetUrlProblem(body.url, livemode);
  if (problem) throw invalidRequest("url_not_allowed", `url ${problem}.`, "url");
  requireSecretStore(c.env);
  const { endpoint, secret } = await putEndpoint(c.env, merchant.id, livemode, body);
  return c.json(endpointJson(endpoint, secret), 200);
};

export const getWebhookEndpoint: AppRouteHandler<typeof routes.getWebhookEndpoint> = async (c) => {
  const { merchant, livemode } = c.get("auth");
  const endpoint = await findEndpoint(c.env, merchant.id, livemode);
  if (!endpoint) throw notFound("webhook endpoint", livemode ? "live" : "test");
  return c.json(endpointJson(endpoint, null), 200);
};

export const rotateWebhookSecret: AppRouteHandler<typeof routes.rotateWebhookSecret> = async (c) => {
  const body = c.req.valid("json") ?? { overlap_seconds: 86_400 };
  const { merchant, livemode } = c.get("auth");
  requireSecretStore(c.env);
  const { endpoint, secret } = await rotateSecret(c.env, merchant.id, livemode, body.overlap_seconds);
  c.set(
    "withheldOnReplay",
    `This Idempotency-Key rotated the ${livemode ? "live" : "test"} webhook signing secret; the new secret was shown ` +
      "in the first answer and is not kept for replays. GET /api/v1/merchant/webhook-endpoint/secret shows the secrets that sign now.",
  );
  return c.json(endpointJson(endpoint, secret), 200);
};

export const revealWebhookSecret: AppRouteHandler<typeof routes.revealWebhookSecret> = async (c) => {
  const { merchant, livemode } = c.get("auth");
  requireSecretStore(c.env);
  const endpoint = await ensureEndpoint(c.env, merchant.id, livemode);
  const { secret, previous } = await currentSecrets(c.env, endpoint, Date.now());
  return c.json(
    {
      object: "webhook_endpoint_secret" as const,
      livemode,
      secret,
      previous_secret: previous?.secret ?? null,
      previous_secret_expires_at: previous ? toIso(previous.expiresAt) : null,
    },
    200,
    { "Cache-Control": "no-store" },
  );
};

export const testWebhookEndpoint: AppRouteHandler<typeof routes.testWebhookEndpoint> = async (c) => {
  const { merchant, livemode } = c.get("auth");
  requireSecretStore(c.env);
  const endpoint = await findEndpoint(c.env, merchant.id, livemode);
  // a row without a URL holds only the secret (made for payments' notify_url)
  if (!endpoint?.url) {
    throw conflict(
      "webhook_endpoint_missing",
      `No webhook endpoint is set for ${livemode ? "live" : "test"} mode; set one with PUT /api/v1/merchant/webhook-endpoint.`,
    );
  }
  const event = testEventJson(livemode, Date.now());
  const sent = await sendNotification(c.env, endpoint, {
    url: endpoint.url,
    merchantId: merchant.id,
    livemode,
    eventId: event.id,
    eventType: event.type,
    body: JSON.stringify(event),
  });
  return c.json(
    {
      object: "webhook_test" as const,
      url: endpoint.url,
      status_code: sent.statusCode,
      latency_ms: sent.latencyMs,
      response_excerpt: sent.excerpt,
      error: sent.error,
      delivered: sent.ok,
    },
    200,
  );
};
