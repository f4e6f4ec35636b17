// The PayPal channel: Orders v2 with intent CAPTURE, refunds through Payments v2. A payment is an
// order the buyer approves at PayPal (the platform sends the buyer to its approval link) and
// the platform then captures. Each create, capture and refund carries a PayPal-Request-Id derived
// from the payment attempt or the refund, so a repeated call never makes a second one.
import {
  ChannelError,
  type ChannelAdapter,
  type ChannelPayment,
  type ChannelRefund,
  type CreatePaymentRequest,
  type CreateRefundRequest,
  type ParsedEvent,
} from "../adapter";
import { PayPalClient } from "./client";
import type { PayPalConfig } from "./config";
import {
  OrderWire,
  RefundWire,
  WebhookWire,
  createOrderBody,
  latestCapture,
  parsePayPalWebhook,
  refundBody,
  toChannelPayment,
  toChannelRefund,
} from "./transformers";
import { verifyPayPalSignature } from "./webhook-signature";

const orderPath = (id: string) => `/v2/checkout/orders/${encodeURIComponent(id)}`;

export class PayPalAdapter implements ChannelAdapter {
  private readonly client: PayPalClient;

  constructor(private readonly config: PayPalConfig) {
    this.client = new PayPalClient(config);
  }

  async createPayment(request: CreatePaymentRequest): Promise<ChannelPayment> {
    const body = createOrderBody(request);
    return toChannelPayment(await this.client.post("/v2/checkout/orders", body, OrderWire, request.idempotencyKey));
  }

  private order(id: string) {
    return this.client.get(orderPath(id), OrderWire);
  }

  async getPayment(id: string): Promise<ChannelPayment> {
    return toChannelPayment(await this.order(id));
  }

  /** Captures an approved order. One captured already (by an earlier, unanswered call) is answered as it now is. */
  async completePayment(id: string, idempotencyKey: string): Promise<ChannelPayment> {
    try {
      return toChannelPayment(await this.client.post(`${orderPath(id)}/capture`, {}, OrderWire, idempotencyKey));
    } catch (error) {
      if (error instanceof ChannelError && error.code === "order_already_captured") return this.getPayment(id);
      throw error;
    }
  }

  /**
   * An order of intent CAPTURE cannot be cancelled at PayPal: one the buyer has not approved
   * simply expires there, and an approval that comes later cannot move a cancelled payment. One
   * already approved or captured is the buyer's money on its way: it cannot be cancelled.
   */
  async cancelPayment(id: string): Promise<ChannelPayment> {
    const order = await this.order(id);
    if (order.status === "APPROVED" || order.status === "COMPLETED") {
      throw new ChannelError("payment_unexpected_state", `PayPal order ${id} is ${order.status.toLowerCase()}: it can no longer be cancelled.`, 409);
    }
    return { ...toChannelPayment(order), status: "cancelled", nextAction: null };
  }

  /** Refunds the order's capture: PayPal refunds captures, and the platform knows the order. */
  async createRefund(request: CreateRefundRequest): Promise<ChannelRefund> {
    const body = refundBody(request);
    const capture = latestCapture(await this.order(request.channelPaymentId));
    if (!capture) {
      throw new ChannelError("payment_unexpected_state", `PayPal order ${request.channelPaymentId} has no capture to refund.`, 409);
    }
    const path = `/v2/payments/captures/${encodeURIComponent(capture.id)}/refund`;
    return toChannelRefund(await this.client.post(path, body, RefundWire, request.idempotencyKey));
  }

  async getRefund(id: string): Promise<ChannelRefund> {
    return toChannelRefund(await this.client.get(`/v2/payments/refunds/${encodeURIComponent(id)}`, RefundWire));
  }

  /**
   * A token proves the client id and secret; the webhook's GET proves the webhook id belongs to
   * that app (every webhook is verified against it). Answers the REST app's id.
   */
  async verifyCredentials(): Promise<{ accountId: string }> {
    const token = await this.client.accessToken().catch((error: unknown) => {
      if (error instanceof ChannelError && error.code === "paypal_authentication") {
        throw new ChannelError("channel_credentials_invalid", "PayPal refused the client id or secret.", 400);
      }
      throw error;
    });
    await this.client.get(`/v1/notifications/webhooks/${encodeURIComponent(this.config.webhookId)}`, WebhookWire).catch((error: unknown) => {
      if (error instanceof ChannelError && error.code === "resource_missing") {
        throw new ChannelError("channel_credentials_invalid", `PayPal has no webhook ${this.config.webhookId} on this app.`, 400, "webhook_id");
      }
      throw error;
    });
    // app_id names the REST app; a token without one (not seen) is named by its client id
    return { accountId: token.appId ?? this.config.clientId };
  }

  verifyWebhook(headers: Headers, rawBody: string, now: number): Promise<void> {
    return verifyPayPalSignature(this.config, this.client, headers, rawBody, now);
  }

  parseWebhook(rawBody: string): ParsedEvent {
    return parsePayPalWebhook(rawBody);
  }
}
