// Channel events as the channels sign them, about a payment the tests made: the sandbox's and
// Stripe's wire format, for webhook tests that post (or store) them directly.
import type { SandboxEvent, SandboxIntent } from "../../shared/channels/sandbox/wire";
import type { PaymentJson } from "./helpers";

let seq = 0;

/** The channel's id of a payment (its client_secret starts with it, for both channels). */
export const channelIdOf = (payment: PaymentJson) => payment.client_secret!.split("_secret_")[0]!;

/** A sandbox payment_intent event reporting `status`; `amount` defaults to the payment's. */
export function sandboxIntentEvent(
  payment: PaymentJson,
  status: SandboxIntent["status"],
  { id = `evt_test_${Date.now()}_${++seq}`, amount = payment.amount } = {},
): SandboxEvent {
  const created = Math.floor(Date.now() / 1000);
  return {
    id,
    object: "event",
    type: `payment_intent.${status}`,
    created,
    data: {
      object: {
        id: channelIdOf(payment),
        object: "sandbox.payment_intent",
        payment_no: payment.payment_no,
        amount,
        currency: payment.currency,
        status,
        payment_method: (payment.payment_method ?? "pm_sandbox_success") as SandboxIntent["payment_method"],
        client_secret: payment.client_secret!,
        failure: null,
        created,
      },
    },
  };
}

/** A Stripe payment_intent.succeeded event for the payment; `overrides` change its PaymentIntent. */
export function stripeSucceededEvent(payment: PaymentJson, id = `evt_test_${Date.now()}_${++seq}`, overrides: Record<string, unknown> = {}) {
  return {
    id,
    type: "payment_intent.succeeded",
    data: {
      object: {
        id: channelIdOf(payment),
        object: "payment_intent",
        status: "succeeded",
        amount: payment.amount,
        currency: payment.currency.toLowerCase(),
        metadata: { payment_no: payment.payment_no },
        ...overrides,
      },
    },
  };
}
