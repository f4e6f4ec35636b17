// The BTCPay channel (Greenfield API, on the merchant's own BTCPay Server): a payment is an
// invoice in the payment's fiat currency that the buyer pays in bitcoin at its checkout page; a
// refund is a pull payment the buyer claims with an address of theirs. BTCPay takes no
// idempotency key, so a create whose answer was lost is found again before anything is made: an
// invoice by its orderId and attempt key, a pull payment by its name (the refund_no).
import {
  ChannelError,
  type ChannelAdapter,
  type ChannelPayment,
  type ChannelRefund,
  type CreatePaymentRequest,
  type CreateRefundRequest,
  type ParsedEvent,
} from "../adapter";
import { BTCPayClient } from "./client";
import type { BTCPayConfig } from "./config";
import {
  InvoiceListWire,
  InvoiceWire,
  PaymentMethodsWire,
  PayoutListWire,
  PullPaymentListWire,
  PullPaymentWire,
  StoreWire,
  claimAction,
  createInvoiceBody,
  parseBTCPayWebhook,
  receivedOf,
  refundBody,
  toChannelPayment,
  toChannelRefund,
} from "./transformers";
import { verifyBTCPaySignature } from "./webhook-signature";

const pullPaymentPath = (id: string) => `/api/v1/pull-payments/${encodeURIComponent(id)}`;

export class BTCPayAdapter implements ChannelAdapter {
  private readonly client: BTCPayClient;
  private readonly store: string;

  constructor(private readonly config: BTCPayConfig) {
    this.client = new BTCPayClient(config);
    this.store = `/api/v1/stores/${encodeURIComponent(config.storeId)}`;
  }

  private invoicePath(id: string) {
    return `${this.store}/invoices/${encodeURIComponent(id)}`;
  }

  private invoice(id: string) {
    return this.client.get(this.invoicePath(id), InvoiceWire);
  }

  /** An invoice an earlier try made for this very attempt (its answer lost), else a new one. */
  async createPayment(request: CreatePaymentRequest): Promise<ChannelPayment> {
    const body = createInvoiceBody(request, this.config);
    const made = await this.client.get(`${this.store}/invoices?orderId=${encodeURIComponent(request.paymentNo)}`, InvoiceListWire);
    const earlier = made.find((invoice) => invoice.metadata?.attemptKey === request.idempotencyKey);
    return toChannelPayment(earlier ?? (await this.client.post(`${this.store}/invoices`, body, InvoiceWire)));
  }

  async getPayment(id: string): Promise<ChannelPayment> {
    const [invoice, methods] = await Promise.all([this.invoice(id), this.client.get(`${this.invoicePath(id)}/payment-methods`, PaymentMethodsWire)]);
    return toChannelPayment(invoice, receivedOf(methods, invoice.currency));
  }

  /**
   * Only an open invoice nothing has been paid to can be cancelled: it is marked invalid, so its
   * checkout page no longer takes a payment. Any other has the buyer's money, or is over.
   */
  async cancelPayment(id: string): Promise<ChannelPayment> {
    const invoice = await this.invoice(id);
    if (invoice.status !== "New" || invoice.additionalStatus !== "None") {
      const paid = invoice.additionalStatus === "None" ? "" : ` (${invoice.additionalStatus})`;
      throw new ChannelError("payment_unexpected_state", `BTCPay invoice ${id} is ${invoice.status}${paid}: it can no longer be cancelled.`, 409);
    }
    const marked = await this.client.post(`${this.invoicePath(id)}/status`, { status: "Invalid" }, InvoiceWire).catch((error: unknown) => {
      // the invoice moved on between the read and the mark, and BTCPay refuses to mark it now
      if (error instanceof ChannelError && error.status === 400) {
        throw new ChannelError("payment_unexpected_state", `BTCPay refused to mark invoice ${id} invalid: ${error.message}`, 409);
      }
      throw error;
    });
    return { ...toChannelPayment(marked), status: "cancelled", nextAction: null, failure: null };
  }

  /** The pull payment an earlier try made for this refund (its answer lost), else a new one. */
  async createRefund(request: CreateRefundRequest): Promise<ChannelRefund> {
    const made = await this.client.get(`${this.store}/pull-payments?includeArchived=true`, PullPaymentListWire);
    const earlier = made.find((pullPayment) => pullPayment.name === request.refundNo);
    const pullPayment = earlier ?? (await this.refundInvoice(request));
    return { id: pullPayment.id, status: "pending", failure: null, nextAction: claimAction(pullPayment) };
  }

  /** The whole invoice or a part of it: the invoice itself tells which. */
  private async refundInvoice(request: CreateRefundRequest) {
    const body = refundBody(request, await this.invoice(request.channelPaymentId));
    return this.client.post(`${this.invoicePath(request.channelPaymentId)}/refund`, body, PullPaymentWire);
  }

  /** The pull payment (archived? its claim link) and its claims so far. */
  async getRefund(id: string): Promise<ChannelRefund> {
    const [pullPayment, payouts] = await Promise.all([
      this.client.get(pullPaymentPath(id), PullPaymentWire),
      this.client.get(`${pullPaymentPath(id)}/payouts`, PayoutListWire),
    ]);
    return toChannelRefund(pullPayment, payouts);
  }

  /** The store's own GET proves the server, the store and the key together; the store is the account. */
  async verifyCredentials(): Promise<{ accountId: string }> {
    const store = await this.client.get(this.store, StoreWire).catch((error: unknown) => {
      if (!(error instanceof ChannelError)) throw error;
      if (error.code === "btcpay_authentication") {
        throw new ChannelError("channel_credentials_invalid", `BTCPay refused the API key for store ${this.config.storeId}.`, 400, "api_key");
      }
      if (error.code === "resource_missing") {
        throw new ChannelError("channel_credentials_invalid", `BTCPay at ${this.config.serverUrl} has no store ${this.config.storeId}.`, 400, "store_id");
      }
      throw error;
    });
    return { accountId: store.id };
  }

  verifyWebhook(headers: Headers, rawBody: string): Promise<void> {
    return verifyBTCPaySignature(this.config.webhookSecret, headers, rawBody);
  }

  parseWebhook(rawBody: string): ParsedEvent {
    return parseBTCPayWebhook(rawBody);
  }
}
