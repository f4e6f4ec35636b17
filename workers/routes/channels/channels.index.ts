import { createRoute, z } from "@hono/zod-openapi";
import { CHANNEL_DEFINITIONS, CHANNELS, routeFor } from "../../../shared/channels/registry";
import { CURRENCY_CODES } from "../../../shared/money/currencies";
import { createRouter } from "../../openapi/router";
import { bearerSecurity, errorResponses, jsonContent } from "../../openapi/route-helpers";

const ChannelSchema = z
  .object({
    object: z.literal("channel"),
    channel: z.enum(CHANNELS),
    configured: z.boolean().openapi({ description: "Whether it takes payments in the API key's mode." }),
    account: z.enum(["merchant", "platform"]).nullable().openapi({ description: "Whose credentials serve it." }),
    modes: z.array(z.enum(["test", "live"])).openapi({ description: "The modes it can serve at all." }),
    currencies: z.array(z.string()),
    payment_methods: z.array(z.string()).nullable().openapi({ description: "Accepted payment_method values; null: any." }),
    merchant_credentials: z.boolean().openapi({ description: "Whether a merchant can connect its own account (PUT /api/v1/merchant/channels/{channel})." }),
  })
  .openapi("Channel");

export const listChannels = createRoute({
  method: "get",
  path: "/api/v1/channels",
  tags: ["Channels"],
  summary: "The payment channels, their currencies, and whether each is configured for this mode",
  security: bearerSecurity,
  responses: {
    200: jsonContent(
      z.object({ object: z.literal("list"), data: z.array(ChannelSchema), has_more: z.literal(false) }),
      "Every channel.",
    ),
    401: errorResponses[401],
  },
});

export const channelsRouter = createRouter().openapi(listChannels, async (c) => {
  const { merchant, livemode } = c.get("auth");
  const data = await Promise.all(
    CHANNEL_DEFINITIONS.map(async (definition) => {
      const route = await routeFor(definition.name, c.env, merchant.id, livemode);
      return {
        object: "channel" as const,
        channel: definition.name,
        configured: route !== null,
        account: route ? (route.account ? ("merchant" as const) : ("platform" as const)) : null,
        modes: definition.livemodes.map((live) => (live ? ("live" as const) : ("test" as const))),
        currencies: definition.currencies?.slice() ?? CURRENCY_CODES,
        payment_methods: definition.paymentMethods?.slice() ?? null,
        merchant_credentials: definition.merchantCredentials !== null,
      };
    }),
  );
  return c.json({ object: "list" as const, data, has_more: false as const }, 200);
});
