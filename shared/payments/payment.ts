// A payment as PaymentDO holds it, and the causes that move it.
import type { ChannelFailure, ChannelName, NextAction } from "../channels/adapter";
import type { Routing } from "../routing/choose";
import type { RiskDecision } from "../risk/decision";
import type { PaymentAttempt, PlannedRoute } from "./attempts";
import type { PaymentException } from "./exceptions";
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
  /** Money that did not go as asked; absent on payments stored before there were any. */
  exceptions?: PaymentException[];
  /** Bumped on every change; the D1 projection only ever applies a newer version. */
  version: number;
  /** The W3C trace its create request came in: all later work on the payment joins it. Absent on payments from before traces. */
  traceId?: string | null;
  createdAt: number;
  updatedAt: number;
  /** The platform order (OR…) this payment pays, if it was started by `POST /orders/:no/pay`. */
  orderLink?: string | null;
  /** How the merchant's routing configuration chose the channel; null (or absent) when none did. */
  routing?: Routing | null;
  /** One per channel tried, the current last; absent on payments stored before there were attempts. */
  attempts?: PaymentAttempt[];
  /** The channels (with accounts) to try in order, the first being the first attempt's; absent: that one only. */
  plan?: PlannedRoute[];
  /** At most this many attempts (the routing configuration's max_attempts); absent: 1. */
  maxAttempts?: number;
  /** The buyer's IP address, as the create stated it (risk rules, velocity counters). */
  customerIp?: string | null;
  /** What the risk rules decided before any channel was called; absent on payments from before them. */
  risk?: RiskDecision | null;
  /** The amount in US cents when the create was assessed (velocity sums); null without a rate. */
  amountUsdCents?: number | null;
  /** A risk review: opened when a review rule matched, closed by a reviewer. */
  review?: PaymentReview | null;
  /** BCP 47, as the create gave it: the language of the buyer's receipts; absent or null: English. */
  language?: string | null;
}

export interface PaymentReview {
  status: "open" | "approved" | "rejected";
  openedAt: number;
  closedAt: number | null;
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
  | "routing"
  | "plan"
  | "maxAttempts"
  | "customerIp"
  | "risk"
  | "amountUsdCents"
  | "language"
>;

/** Who asks: a merchant in one mode. Records of anyone else answer as if they did not exist. */
export interface Owner {
  merchantId: string;
  livemode: boolean;
}

/**
 * Why a payment moved: an API request, a channel webhook event, a channel's answer to a call, the
 * platform asking the channel where a payment stands (status sync), the buyer coming back from
 * the channel's page (its checkout return), or a risk rule that blocked it.
 */
export const CAUSE_TYPES = ["api", "webhook", "channel", "sync", "return", "risk"] as const;

export interface Cause {
  type: (typeof CAUSE_TYPES)[number];
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

export type ChannelErrorOutcome = Extract<PaymentOutcome, { kind: "channel_error" }>;

/** What came of a channel event; a repeated event answers what came of it the first time. */
export type EventOutcome = ({ outcome: "applied" } | { outcome: "ignored"; reason: string }) & { duplicate: boolean };

/**
 * Why an event's amount cannot be about this payment (or refund): a `succeeded` for 1 USD must not
 * settle a payment of 5,000 USD. Null when it matches, or when the event states no amount.
 */
export function moneyMismatch(expected: { amount: number; currency: string }, reported: { amount: number; currency: string } | null): string | null {
  if (reported === null || (reported.amount === expected.amount && reported.currency === expected.currency)) return null;
  return `the event is for ${reported.amount} ${reported.currency}, not ${expected.amount} ${expected.currency}`;
}

/** While a payment waits on its customer, the channel's next action stands; after that it is spent. */
export const nextActionIn = (status: PaymentStatus, action: NextAction | null): NextAction | null =>
  status === "pending" || status === "requires_action" ? action : null;

/** The chain of transitions that walks `path`, all with one cause. */
export function walk(from: PaymentStatus, path: PaymentStatus[], cause: Cause): Transition[] {
  const at = Date.now();
  return path.map((to, i) => ({ from: i === 0 ? from : path[i - 1]!, to, cause, at }));
}
