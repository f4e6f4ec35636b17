// Why a channel cannot take a payment, in words the merchant can act on. A channel the merchant
// names is refused with the problem's code; routing skips the channel and records the reason.
import type { AnyChannelDefinition } from "../channels/registry";

export interface ServingProblem {
  code: "channel_unavailable" | "currency_unsupported" | "payment_method_unsupported";
  param: "channel" | "currency" | "payment_method";
  /** Said of the channel: "does not take JPY". */
  reason: string;
  /** What it would take instead, for an error message ("it takes USD, EUR"); null when nothing helps. */
  instead: string | null;
}

const modeName = (livemode: boolean) => (livemode ? "live" : "test");

/** What the channel's definition alone rules out: the mode, the currency, the payment method. */
export function servingProblem(
  definition: AnyChannelDefinition,
  payment: { currency: string; payment_method?: string | null },
  livemode: boolean,
): ServingProblem | null {
  if (!definition.livemodes.includes(livemode)) {
    return { code: "channel_unavailable", param: "channel", reason: `does not serve ${modeName(livemode)} mode`, instead: null };
  }
  const { currencies, paymentMethods } = definition;
  if (currencies && !currencies.includes(payment.currency)) {
    return { code: "currency_unsupported", param: "currency", reason: `does not take ${payment.currency}`, instead: `it takes ${currencies.join(", ")}` };
  }
  const method = payment.payment_method;
  if (method != null && paymentMethods && !paymentMethods.includes(method)) {
    return {
      code: "payment_method_unsupported",
      param: "payment_method",
      reason: `does not accept payment_method ${method}`,
      instead: `it accepts ${paymentMethods.join(", ")}`,
    };
  }
  return null;
}

/** Why a channel that serves the mode has no account to take the payment on (routeFor answered null). */
export function noAccountReason(env: Env, definition: AnyChannelDefinition, livemode: boolean): string {
  const mode = modeName(livemode);
  if (definition.merchantCredentials && definition.platformCredentials(env, livemode) === null) {
    return `runs on the merchant's own account, and none is connected for ${mode} mode: connect one with PUT /api/v1/merchant/channels/${definition.name}`;
  }
  return `is not configured for ${mode} mode`;
}
