// The sandbox channel behind the adapter interface: calls go to SandboxProcessorDO over RPC
// (its "API"), webhooks come back signed with SANDBOX_WEBHOOK_SECRET.
import {
  ChannelError,
  type ChannelAdapter,
  type ParsedEvent,
  type ChannelEventType,
  type ChannelPayment,
  type ChannelRefund,
  type CreatePaymentRequest,
  type CreateRefundRequest,
} from "../adapter";
import { verifySignature } from "../signature";
import { readWire } from "../wire";
import {
  SANDBOX_SIGNATURE_HEADER,
  SandboxEventSchema,
  type SandboxEvent,
  type SandboxIntent,
  type SandboxPaymentMethod,
  type SandboxRefund,
  type SandboxResult,
} from "./wire";

const EVENT_TYPES: Record<SandboxEvent["type"], ChannelEventType> = {
  "payment_intent.pending": "unhandled",
  "payment_intent.requires_action": "payment.requires_action",
  "payment_intent.processing": "payment.processing",
  "payment_intent.succeeded": "payment.succeeded",
  "payment_intent.failed": "payment.failed",
  "payment_intent.cancelled": "payment.cancelled",
  "refund.succeeded": "refund.succeeded",
  "refund.failed": "refund.failed",
};

const ERROR_STATUS: Record<string, 400 | 409 | 502> = {
  intent_unexpected_state: 409,
  charge_not_refundable: 409,
  amount_too_large: 400,
  resource_missing: 400,
};

/** A shard that answers `sandbox_unavailable` did nothing (its merchant's condition is down). */
const NOT_PROCESSED = new Set(["sandbox_unavailable"]);

function unwrap<T>(result: SandboxResult<T>): T {
  if (result.ok) return result.value;
  throw new ChannelError(result.code, result.message, ERROR_STATUS[result.code] ?? 502, undefined, {
    notProcessed: NOT_PROCESSED.has(result.code),
  });
}

/** The sandbox runs in SHARDS objects; an intent's or refund's id names its shard. */
export const sandboxShard = (env: Env, shard: string) => env.SANDBOX.get(env.SANDBOX.idFromName(`shard-${shard}`));
export const SHARDS = 16;
const shardOf = (channelObjectId: string) => channelObjectId.split("_")[1] ?? "";

export function shardFor(idempotencyKey: string): string {
  let hash = 0;
  for (const char of idempotencyKey) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return String(hash % SHARDS);
}

function toChannelPayment(intent: SandboxIntent): ChannelPayment {
  return {
    id: intent.id,
    status: intent.status,
    clientSecret: intent.client_secret,
    nextAction:
      intent.status === "requires_action"
        ? { type: "redirect_to_url", redirect_to_url: { url: `sandbox://authenticate/${intent.id}` } }
        : null,
    failure: intent.failure,
  };
}

const toChannelRefund = (refund: SandboxRefund): ChannelRefund => ({
  id: refund.id,
  status: refund.status,
  failure: refund.failure,
});

export class SandboxAdapter implements ChannelAdapter {
  constructor(private readonly env: Env) {}

  /** The sandbox has no accounts: one built-in processor, always there. */
  async verifyCredentials() {
    return { accountId: "sandbox" };
  }

  /**
   * One call to a shard. A shard that cannot be reached (its object failed) is the sandbox's
   * outage, answered like a real channel's: 502, and the same request can be retried safely.
   */
  private async call<T>(shard: string, method: (processor: ReturnType<typeof sandboxShard>) => Promise<SandboxResult<T>>): Promise<T> {
    let result: SandboxResult<T>;
    try {
      result = await method(sandboxShard(this.env, shard));
    } catch {
      throw new ChannelError("sandbox_unavailable", "The sandbox processor could not be reached.", 502);
    }
    return unwrap(result);
  }

  async createPayment(request: CreatePaymentRequest): Promise<ChannelPayment> {
    // the API checked paymentMethods before the payment was recorded
    const method = (request.paymentMethod ?? "pm_sandbox_success") as SandboxPaymentMethod;
    const shard = shardFor(request.idempotencyKey);
    const intent = await this.call(shard, (p) =>
      p.createIntent({
        shard,
        merchantId: request.merchantId,
        idempotencyKey: request.idempotencyKey,
        paymentNo: request.paymentNo,
        amount: request.amount,
        currency: request.currency,
        paymentMethod: method,
      }),
    );
    return toChannelPayment(intent);
  }

  async getPayment(id: string) {
    return toChannelPayment(await this.call(shardOf(id), (p) => p.getIntent(id)));
  }

  async cancelPayment(id: string) {
    return toChannelPayment(await this.call(shardOf(id), (p) => p.cancelIntent(id)));
  }

  async confirmPayment(id: string) {
    return toChannelPayment(await this.call(shardOf(id), (p) => p.confirmIntent(id)));
  }

  async createRefund(request: CreateRefundRequest) {
    const { channelPaymentId, refundNo, amount } = request;
    return toChannelRefund(await this.call(shardOf(channelPaymentId), (p) => p.createRefund(channelPaymentId, { refundNo, amount })));
  }

  async getRefund(id: string) {
    return toChannelRefund(await this.call(shardOf(id), (p) => p.getRefund(id)));
  }

  async verifyWebhook(headers: Headers, rawBody: string, now: number) {
    const secret = this.env.SANDBOX_WEBHOOK_SECRET;
    if (!secret) throw new ChannelError("channel_not_configured", "SANDBOX_WEBHOOK_SECRET is not set.", 400);
    await verifySignature(headers.get(SANDBOX_SIGNATURE_HEADER), rawBody, [secret], now);
  }

  parseWebhook(rawBody: string): ParsedEvent {
    return parseSandboxWebhook(rawBody);
  }
}

/** A sandbox webhook body as a channel-neutral event; throws WebhookPayloadError if it is not one. */
export function parseSandboxWebhook(rawBody: string): ParsedEvent {
  const event = readWire(SandboxEventSchema, rawBody);
  const object = event.data.object;
  const isRefund = object.object === "sandbox.refund";
  return {
    eventId: event.id,
    type: EVENT_TYPES[event.type] ?? "unhandled",
    channelType: event.type,
    paymentNo: object.payment_no,
    refundNo: isRefund ? object.refund_no : null,
    channelPaymentId: isRefund ? object.payment_intent : object.id,
    channelObjectId: object.id,
    occurredAt: event.created * 1000,
    failure: object.failure,
    money: { amount: object.amount, currency: object.currency.toUpperCase() },
  };
}
