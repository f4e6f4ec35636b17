// The channel a new payment goes to (the merchant's choice or the default for the mode) and the
// checks on what the merchant asked for; shared by POST /payments and POST /orders/:no/pay.
import { defaultRoute, definitionOf, routeFor, type ChannelName } from "../../../shared/channels/registry";
import { invalidRequest } from "../../../shared/errors";
import { targetUrlProblem } from "../../../shared/notifications/target-url";
import type { AuthContext } from "../../app-env";

/** Why no route serves the payment, and what the merchant can do about it. */
function unavailable(env: Env, channel: ChannelName | undefined, livemode: boolean): string {
  const mode = livemode ? "live" : "test";
  if (!channel) return `No channel is configured for ${mode} mode (the sandbox serves test mode only).`;
  const definition = definitionOf(channel);
  if (!definition.livemodes.includes(livemode)) return `Channel '${channel}' does not serve ${mode} mode.`;
  if (definition.merchantCredentials && definition.platformCredentials(env, livemode) === null) {
    return `Channel '${channel}' runs on the merchant's own account, and none is connected for ${mode} mode: connect one with PUT /api/v1/merchant/channels/${channel}.`;
  }
  return `Channel '${channel}' is not configured for ${mode} mode.`;
}

export async function resolvePaymentRoute(
  env: Env,
  auth: AuthContext,
  asked: { channel?: ChannelName; payment_method?: string; notify_url?: string; currency: string },
) {
  const problem = asked.notify_url === undefined ? null : targetUrlProblem(asked.notify_url, auth.livemode);
  if (problem) throw invalidRequest("url_not_allowed", `notify_url ${problem}.`, "notify_url");
  const route = asked.channel
    ? await routeFor(asked.channel, env, auth.merchant.id, auth.livemode)
    : await defaultRoute(env, auth.merchant.id, auth.livemode);
  if (!route) throw invalidRequest("channel_unavailable", unavailable(env, asked.channel, auth.livemode), "channel");
  const { currencies, paymentMethods: methods } = route.definition;
  if (currencies && !currencies.includes(asked.currency)) {
    throw invalidRequest(
      "currency_unsupported",
      `Channel ${route.channel} does not take ${asked.currency}; it takes ${currencies.join(", ")}.`,
      "currency",
    );
  }
  if (asked.payment_method !== undefined && methods && !methods.includes(asked.payment_method)) {
    throw invalidRequest(
      "payment_method_unsupported",
      `Channel ${route.channel} accepts payment_method ${methods.join(", ")}.`,
      "payment_method",
    );
  }
  return route;
}
