// A payment as PaymentDO holds it, and the causes that move it.
import type { ChannelFailure, ChannelName, NextAction } from "../channels/adapter";
import type { PaymentStatus } from "./state-machine";

export interface PaymentRecord {
  paymentNo: string;
  merchantId: string;
  livemode: boolean;
  orderNo: string;
  amount: number;
  currency: string;
  status: PaymentStatus;
  channel: ChannelName;
  /** Whose channel account serves the payment: a merchant id, or null for the platform's. */
  channelAccount: string | null;
  channelPaymentId: string | null;
  paymentMethod: string | null;
  clientSecret: string | null;
  publishableKey: string | null;
  nextAction: NextAction | null;
  customerEmail: string | null;
  customerName: string | null;
  description: string | null;
  notifyUrl: string | null;
  returnUrl: string | null;
  metadata: Record<string, string>;
  refundedAmount: number;
  failure: ChannelFailure | null;
  paidAt: number | null;
  /** When the channel reported a dispute (chargeback) on the payment. */
  disputedAt: number | null;
  /** Bumped on every change; the D1 projection only ever applies a newer version. */
  version: number;
  createdAt: number;
  updatedAt: number;
  /** The platform order (OR…) this payment pays, if it was started by `POST /orders/:no/pay`. */
  orderLink?: string | null;
}

/** What an order learns of its payment after each change. */
export type PaymentSnapshot = Pick<
  PaymentRecord,
  "paymentNo" | "merchantId" | "livemode" | "status" | "amount" | "refundedAmount" | "paidAt" | "version"
> & { orderLink: string };

export type NewPayment = Pick<
  PaymentRecord,
  | "merchantId"
  | "livemode"
  | "orderNo"
  | "amount"
  | "currency"
  | "channel"
  | "channelAccount"
  | "paymentMethod"
  | "customerEmail"
  | "customerName"
  | "description"
  | "notifyUrl"
  | "returnUrl"
  | "metadata"
  | "orderLink"
>;

/** Who asks: a merchant in one mode. Records of anyone else answer as if they did not exist. */
export interface Owner {
  merchantId: string;
  livemode: boolean;
}

/** Why a payment moved: an API request, a channel webhook event, or a channel's answer. */
export interface Cause {
  type: "api" | "webhook" | "channel";
  id: string;
}

export interface Transition {
  from: PaymentStatus | null;
  to: PaymentStatus;
  cause: Cause;
  at: number;
}

export type PaymentOutcome =
  | { kind: "created" | "existing"; payment: PaymentRecord }
  | { kind: "conflict"; payment: PaymentRecord }
  | { kind: "not_found" }
  | { kind: "unexpected_state"; payment: PaymentRecord; message: string }
  | { kind: "channel_error"; code: string; message: string; status: 400 | 402 | 409 | 502 };

export type EventOutcome =
  | { outcome: "applied"; status: PaymentStatus }
  | { outcome: "duplicate" }
  | { outcome: "ignored"; reason: string };

/** The chain of transitions that walks `path`, all with one cause. */
export function walk(from: PaymentStatus, path: PaymentStatus[], cause: Cause): Transition[] {
  const at = Date.now();
  return path.map((to, i) => ({ from: i === 0 ? from : path[i - 1]!, to, cause, at }));
}
