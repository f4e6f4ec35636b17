import { createRoute, z } from "@hono/zod-openapi";
import { CHANNELS } from "../../../shared/channels/adapter";
import { routeFor } from "../../../shared/channels/registry";
import { CURRENCY_CODES } from "../../../shared/money/currencies";
import { createRouter } from "../../openapi/router";
import { bearerSecurity, errorResponses, jsonContent } from "../../openapi/route-helpers";

const ChannelSchema = z
  .object({
    object: z.literal("channel"),
    channel: z.enum(CHANNELS),
    configured: z.boolean().openapi({ description: "Whether it takes payments in the API key's mode." }),
    account: z.enum(["merchant", "platform"]).nullable().openapi({ description: "Whose credentials serve it." }),
    currencies: z.array(z.string()),
    payment_methods: z.array(z.string()).nullable().openapi({ description: "Accepted payment_method values; null: any." }),
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
    CHANNELS.map(async (channel) => {
      const route = await routeFor(channel, c.env, merchant.id, livemode);
      return {
        object: "channel" as const,
        channel,
        configured: route !== null,
        account: route ? (route.account ? ("merchant" as const) : ("platform" as const)) : null,
        currencies: CURRENCY_CODES,
        payment_methods: route?.adapter.paymentMethods?.slice() ?? null,
      };
    }),
  );
  return c.json({ object: "list" as const, data, has_more: false as const }, 200);
});
