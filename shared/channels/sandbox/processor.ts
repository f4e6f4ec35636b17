// What the sandbox processor does, apart from the object that stores and runs it
// (durable-objects/sandbox-processor.ts): each payment method's scenario, what a merchant's
// condition does, the refund outcome, the webhook it sends for a change and how long a refused
// delivery waits.
import { randomBase62 } from "../../crypto";
import { signPayload } from "../signature";
import {
  SANDBOX_SIGNATURE_HEADER,
  type SandboxEvent,
  type SandboxFailure,
  type SandboxIntent,
  type SandboxIntentStatus,
  type SandboxPaymentMethod,
  type SandboxRefund,
} from "./wire";

/** A scheduled change of an intent; `after` is a fraction of SANDBOX_DELAY_MS. */
export interface Step {
  after: number;
  status: SandboxIntentStatus;
  failure?: SandboxFailure;
}

const DECLINED: SandboxFailure = { code: "card_declined", message: "Your card was declined." };
const REFUND_FAILED: SandboxFailure = { code: "refund_failed", message: "The sandbox declined the refund." };
const SUCCESS_STEPS: Step[] = [
  { after: 0.5, status: "processing" },
  { after: 1, status: "succeeded" },
];

/** What each payment method does when the payment is created, and when it is confirmed. */
export const SCENARIOS: Record<
  SandboxPaymentMethod,
  { initial: SandboxIntentStatus; onCreate: Step[]; awaitsConfirmIn?: SandboxIntentStatus; onConfirm?: Step[] }
> = {
  pm_sandbox_success: { initial: "pending", onCreate: SUCCESS_STEPS },
  pm_sandbox_refund_fails: { initial: "pending", onCreate: SUCCESS_STEPS },
  pm_sandbox_declined: { initial: "pending", onCreate: [{ after: 1, status: "failed", failure: DECLINED }] },
  pm_sandbox_requires_action: {
    initial: "requires_action",
    onCreate: [{ after: 0, status: "requires_action" }],
    awaitsConfirmIn: "requires_action",
    onConfirm: [
      { after: 0, status: "processing" },
      { after: 0.5, status: "succeeded" },
    ],
  },
  pm_sandbox_processing: {
    initial: "pending",
    onCreate: [{ after: 0.5, status: "processing" }],
    awaitsConfirmIn: "processing",
    onConfirm: [{ after: 0, status: "succeeded" }],
  },
};

/** The decline_retriable condition: the intent fails at once, with a fault of the processor's own. */
export const RETRIABLE_DECLINE = {
  after: 0,
  status: "failed",
  failure: { code: "processing_error", message: "The sandbox could not process the payment; another attempt may succeed." },
} satisfies Step;

/** Whether a new payment meets its merchant's condition: with probability `share` (crypto random). */
export const meetsCondition = (share: number) => crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32 < share;

export const CANCELLABLE: SandboxIntentStatus[] = ["pending", "requires_action"];

/** How a refund of a payment made with `method` settles. */
export const refundOutcome = (method: SandboxPaymentMethod): Pick<SandboxRefund, "status" | "failure"> =>
  method === "pm_sandbox_refund_fails" ? { status: "failed", failure: REFUND_FAILED } : { status: "succeeded", failure: null };

/** The event the sandbox sends for a change of one of its objects. */
export const sandboxEvent = (type: SandboxEvent["type"], object: SandboxIntent | SandboxRefund): SandboxEvent => ({
  id: `evt_sb_${randomBase62(20)}`,
  object: "event",
  type,
  created: Math.floor(Date.now() / 1000),
  data: { object },
});

/** A refused delivery waits longer each time, at most a minute. */
export const redeliverAt = (attempts: number, now: number) => now + Math.min(60_000, 500 * 2 ** attempts);

/** The webhook request for an event body, signed as any channel signs its webhooks. */
export async function sandboxWebhook(secret: string, body: string): Promise<Request> {
  const signature = await signPayload(secret, body, Math.floor(Date.now() / 1000));
  return new Request("https://sandbox.internal/api/v1/webhooks/sandbox", {
    method: "POST",
    headers: { "Content-Type": "application/json", [SANDBOX_SIGNATURE_HEADER]: signature },
    body,
  });
}
