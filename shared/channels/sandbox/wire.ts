// The sandbox channel's wire format: its objects, its webhook events and their signature header.
// It is deliberately shaped like a real processor (Stripe-like names, signed JSON webhooks).

export const SANDBOX_SIGNATURE_HEADER = "Sandbox-Signature";

export const SANDBOX_PAYMENT_METHODS = [
  "pm_sandbox_success",
  "pm_sandbox_declined",
  "pm_sandbox_requires_action",
  "pm_sandbox_processing",
  "pm_sandbox_refund_fails",
] as const;
export type SandboxPaymentMethod = (typeof SANDBOX_PAYMENT_METHODS)[number];

export type SandboxIntentStatus =
  | "pending"
  | "requires_action"
  | "processing"
  | "succeeded"
  | "failed"
  | "cancelled";

export interface SandboxFailure {
  code: string;
  message: string;
}

export interface SandboxIntent {
  id: string;
  object: "sandbox.payment_intent";
  payment_no: string;
  amount: number;
  currency: string;
  status: SandboxIntentStatus;
  payment_method: SandboxPaymentMethod;
  client_secret: string;
  failure: SandboxFailure | null;
  created: number;
}

export interface SandboxRefund {
  id: string;
  object: "sandbox.refund";
  refund_no: string;
  payment_no: string;
  payment_intent: string;
  amount: number;
  status: "pending" | "succeeded" | "failed";
  failure: SandboxFailure | null;
  created: number;
}

export interface SandboxEvent {
  id: string;
  object: "event";
  type: `payment_intent.${SandboxIntentStatus}` | `refund.${"succeeded" | "failed"}`;
  created: number;
  data: { object: SandboxIntent | SandboxRefund };
}

export type SandboxResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string };
