import { createExecutionContext, createMessageBatch, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ChannelEvent } from "../../shared/channels/adapter";
import type { ChannelEventMessage } from "../../shared/webhooks/ingress";
import worker from "../../workers/index";
import { TEST_ADMIN_TOKEN } from "../constants";
import { api, createMerchant, createPayment, errorOf, paymentReaches, type PaymentJson } from "./helpers";

const handler = worker as Required<ExportedHandler<Env>>;

describe("dead-letter replay", () => {
  it("sends a parked channel event back to its queue, where it is applied", async () => {
    const m = await createMerchant();
    const payment = await (await createPayment(m.testKey, { payment_method: "pm_sandbox_requires_action" })).json<PaymentJson>();
    const event: ChannelEvent = {
      channel: "sandbox",
      account: null,
      eventId: `evt_parked_${Date.now()}`,
      type: "payment.processing",
      channelType: "payment_intent.processing",
      paymentNo: payment.payment_no,
      refundNo: null,
      channelPaymentId: payment.client_secret!.split("_secret_")[0]!,
      channelObjectId: payment.client_secret!.split("_secret_")[0]!,
      occurredAt: Date.now(),
      failure: null,
      money: { amount: payment.amount, currency: payment.currency },
    };
    const message = { id: `msg-${event.eventId}`, timestamp: new Date(), attempts: 11, body: { callbackId: "cb_parked", event } satisfies ChannelEventMessage };
    await handler.queue(createMessageBatch("channel-events-dlq", [message]), env, createExecutionContext());

    const listed = await api("/api/v1/admin/dead-letters?queue=channel-events", { key: TEST_ADMIN_TOKEN });
    const parked = (await listed.json<{ data: Array<{ id: string; message_id: string; replayed_at: string | null }> }>()).data.find(
      (d) => d.message_id === message.id,
    );
    expect(parked).toMatchObject({ replayed_at: null });

    const replay = await api(`/api/v1/admin/dead-letters/${parked!.id}/replay`, { key: TEST_ADMIN_TOKEN, method: "POST" });
    expect(replay.status).toBe(200);
    expect((await replay.json<{ replayed_at: string | null }>()).replayed_at).not.toBeNull();
    await paymentReaches(m.testKey, payment.payment_no, "processing");
  });

  it("answers 404 for an unknown dead letter and needs the admin token", async () => {
    expect((await api("/api/v1/admin/dead-letters/dl_nope/replay", { key: TEST_ADMIN_TOKEN, method: "POST" })).status).toBe(404);
    const m = await createMerchant();
    expect(await errorOf(await api("/api/v1/admin/dead-letters", { key: m.testKey }))).toMatchObject({ status: 401 });
  });
});
