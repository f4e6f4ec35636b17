// PayPal webhook signatures, verified against certificates and signatures the PayPal emulator
// (test/emulators/paypal) makes exactly as PayPal does.
import { describe, expect, it } from "vitest";
import { PayPalAdapter } from "../../shared/channels/paypal/adapter";
import type { PayPalConfig } from "../../shared/channels/paypal/config";
import { TEST_PAYPAL } from "../constants";
import { paypal } from "./paypal-emulator";

const body = (id = "WH-1") =>
  JSON.stringify({
    id,
    event_version: "1.0",
    create_time: new Date().toISOString(),
    resource_type: "checkout-order",
    resource_version: "2.0",
    event_type: "CHECKOUT.ORDER.APPROVED",
    summary: "An order has been approved by buyer — ¡sí! 支付",
    resource: { id: "5O190127TN364715T", status: "APPROVED", purchase_units: [{ reference_id: "PY0123456789ABCDEFGHJKMNPQ", amount: { currency_code: "USD", value: "1.00" } }] },
    links: [],
  });

async function setup() {
  const config = await paypal.addAccount();
  return { config, adapter: new PayPalAdapter(config) };
}

const signed = async (config: PayPalConfig, raw: string, options: { transmissionTime?: string; certUrl?: string; expired?: true } = {}) =>
  new Headers(await paypal.sign({ body: raw, webhookId: config.webhookId, ...options }));

const verifications = async (transmissionId: string) =>
  (await paypal.requests()).filter(
    (r) => r.path === "/v1/notifications/verify-webhook-signature" && (r.body as { transmission_id?: string } | null)?.transmission_id === transmissionId,
  );

describe("PayPal webhook signature", () => {
  it("accepts a body PayPal signed for this webhook, non-ASCII included (CRC32 over its UTF-8 bytes)", async () => {
    const { config, adapter } = await setup();
    const raw = body();
    const headers = await signed(config, raw);
    await expect(adapter.verifyWebhook(headers, raw, Date.now())).resolves.toBeUndefined();
    // verified offline: PayPal's verify API was not asked
    expect(await verifications(headers.get("PAYPAL-TRANSMISSION-ID")!)).toHaveLength(0);
  });

  it("accepts a webhook the emulator sent, and reads it", async () => {
    const { config, adapter } = await setup();
    const paymentNo = `PY${"0".repeat(12)}${Date.now().toString().slice(-12)}`;
    const created = await adapter.createPayment({
      paymentNo,
      merchantId: "mch_paypal",
      livemode: false,
      amount: 1250,
      currency: "USD",
      paymentMethod: "paypal",
      description: null,
      customerEmail: null,
      returnUrl: "https://payments.test/return",
      cancelUrl: null,
      idempotencyKey: `${paymentNo}:attempt-1`,
    });
    await paypal.approve(created.id);
    const sent = (await paypal.webhooks()).find((w) => w.clientId === config.clientId && w.event.event_type === "CHECKOUT.ORDER.APPROVED")!;
    await adapter.verifyWebhook(new Headers(sent.headers), sent.body, Date.now());
    expect(adapter.parseWebhook(sent.body)).toMatchObject({ type: "payment.approved", paymentNo, channelPaymentId: created.id, money: { amount: 1250, currency: "USD" } });
  });

  it("refuses an altered body", async () => {
    const { config, adapter } = await setup();
    const raw = body();
    const headers = await signed(config, raw);
    await expect(adapter.verifyWebhook(headers, raw.replace('"1.00"', '"100.00"'), Date.now())).rejects.toMatchObject({ code: "webhook_signature_invalid" });
  });

  it("refuses a body signed for another webhook", async () => {
    const { adapter } = await setup();
    const other = await paypal.addAccount();
    const raw = body();
    await expect(adapter.verifyWebhook(await signed(other, raw), raw, Date.now())).rejects.toMatchObject({ code: "webhook_signature_invalid" });
  });

  it("refuses a signature that is not base64, or made by another key", async () => {
    const { config, adapter } = await setup();
    const raw = body();
    const headers = await signed(config, raw);
    const garbled = new Headers(headers);
    garbled.set("PAYPAL-TRANSMISSION-SIG", "not base64!");
    await expect(adapter.verifyWebhook(garbled, raw, Date.now())).rejects.toMatchObject({ code: "webhook_signature_invalid" });
    const swapped = new Headers(headers);
    swapped.set("PAYPAL-TRANSMISSION-SIG", (await signed(config, body("WH-2"))).get("PAYPAL-TRANSMISSION-SIG")!);
    await expect(adapter.verifyWebhook(swapped, raw, Date.now())).rejects.toMatchObject({ code: "webhook_signature_invalid" });
  });

  it.each(["PAYPAL-TRANSMISSION-ID", "PAYPAL-TRANSMISSION-TIME", "PAYPAL-TRANSMISSION-SIG", "PAYPAL-CERT-URL", "PAYPAL-AUTH-ALGO"])("refuses a webhook without %s", async (name) => {
    const { config, adapter } = await setup();
    const raw = body();
    const headers = await signed(config, raw);
    headers.delete(name);
    await expect(adapter.verifyWebhook(headers, raw, Date.now())).rejects.toMatchObject({ code: "webhook_signature_missing", message: expect.stringContaining(name) });
  });

  it("refuses a transmission time more than 300 s from now, either way", async () => {
    const { config, adapter } = await setup();
    const raw = body();
    for (const offset of [-301_000, 301_000]) {
      const headers = await signed(config, raw, { transmissionTime: new Date(Date.now() + offset).toISOString() });
      await expect(adapter.verifyWebhook(headers, raw, Date.now())).rejects.toMatchObject({ code: "webhook_timestamp_stale" });
    }
    const recent = await signed(config, raw, { transmissionTime: new Date(Date.now() - 200_000).toISOString() });
    await expect(adapter.verifyWebhook(recent, raw, Date.now())).resolves.toBeUndefined();
  });

  it("refuses a certificate outside its validity", async () => {
    const { config, adapter } = await setup();
    const raw = body();
    await expect(adapter.verifyWebhook(await signed(config, raw, { expired: true }), raw, Date.now())).rejects.toMatchObject({
      code: "webhook_signature_invalid",
      message: expect.stringContaining("not valid now"),
    });
  });

  it.each([
    // another host, one merely named like PayPal's, PayPal's over http, and the emulator under another name
    "https://evil.example/v1/notifications/certs/CERT-1",
    "https://paypal.com.evil.example/v1/notifications/certs/CERT-1",
    "https://notpaypal.com/v1/notifications/certs/CERT-1",
    "http://api.paypal.com/v1/notifications/certs/CERT-1",
    "https://api.paypal.com:8443/v1/notifications/certs/CERT-1",
    `http://localhost:${TEST_PAYPAL.port}/v1/notifications/certs-probe`,
  ])("refuses PAYPAL-CERT-URL %s without fetching it", async (certUrl) => {
    const { config, adapter } = await setup();
    const raw = body();
    const headers = await signed(config, raw, { certUrl });
    await expect(adapter.verifyWebhook(headers, raw, Date.now())).rejects.toMatchObject({ code: "webhook_signature_invalid", message: expect.stringContaining("not on a PayPal host") });
    // the emulator records every /v1 path it is asked for: the probe was not fetched, nor PayPal asked
    const asked = await paypal.requests();
    expect(asked.filter((r) => r.path === "/v1/notifications/certs-probe")).toHaveLength(0);
    expect(await verifications(headers.get("PAYPAL-TRANSMISSION-ID")!)).toHaveLength(0);
  });

  describe("when it cannot be verified offline, PayPal's verify API decides", () => {
    // a configured certificate host where nothing listens: the certificate cannot be fetched
    const unreachable = "127.0.0.1:12119";

    it("asks PayPal with the transmission and the event as it came, and takes its answer", async () => {
      const base = await setup();
      const config = { ...base.config, certHosts: [...base.config.certHosts, unreachable] };
      const adapter = new PayPalAdapter(config);
      const raw = body();
      const headers = await signed(config, raw, { certUrl: `http://${unreachable}/v1/notifications/certs/CERT-1` });
      // the emulator serves no certificate there, so it answers FAILURE
      await expect(adapter.verifyWebhook(headers, raw, Date.now())).rejects.toMatchObject({ code: "webhook_signature_invalid", message: "PayPal did not verify the signature." });
      const [asked] = await verifications(headers.get("PAYPAL-TRANSMISSION-ID")!);
      expect(asked!.body).toEqual({
        auth_algo: "SHA256withRSA",
        cert_url: `http://${unreachable}/v1/notifications/certs/CERT-1`,
        transmission_id: headers.get("PAYPAL-TRANSMISSION-ID"),
        transmission_sig: headers.get("PAYPAL-TRANSMISSION-SIG"),
        transmission_time: headers.get("PAYPAL-TRANSMISSION-TIME"),
        webhook_id: config.webhookId,
        webhook_event: JSON.parse(raw),
      });
    });

    it("accepts a genuine webhook on PayPal's word when the certificate host is down (5xx)", async () => {
      const { config, adapter } = await setup();
      const raw = body();
      // the emulator's own certificate, under a URL no earlier test has cached
      const certUrl = `http://127.0.0.1:${TEST_PAYPAL.port}/v1/notifications/certs/${(await paypal.sign({ body: raw, webhookId: config.webhookId }))["PAYPAL-CERT-URL"]!.split("/").pop()}?n=${Date.now()}`;
      const headers = await signed(config, raw, { certUrl });
      await paypal.failNext({ path: "/v1/notifications/certs/", status: 503 });
      await expect(adapter.verifyWebhook(headers, raw, Date.now())).resolves.toBeUndefined();
      expect(await verifications(headers.get("PAYPAL-TRANSMISSION-ID")!)).toHaveLength(1);
      // and an altered body is still refused on PayPal's word
      const altered = raw.replace("APPROVED", "VOIDED");
      const other = `${certUrl}x`;
      const alteredHeaders = await signed(config, raw, { certUrl: other });
      await paypal.failNext({ path: "/v1/notifications/certs/", status: 503 });
      await expect(adapter.verifyWebhook(alteredHeaders, altered, Date.now())).rejects.toMatchObject({ code: "webhook_signature_invalid" });
    });

    it("for an algorithm not verified here", async () => {
      const { config, adapter } = await setup();
      const raw = body();
      const headers = await signed(config, raw);
      headers.set("PAYPAL-AUTH-ALGO", "SHA512withRSA");
      // the emulator verifies SHA256withRSA only, as its signer signs: FAILURE for this one
      await expect(adapter.verifyWebhook(headers, raw, Date.now())).rejects.toMatchObject({ code: "webhook_signature_invalid" });
      expect(await verifications(headers.get("PAYPAL-TRANSMISSION-ID")!)).toHaveLength(1);
    });

    it("PayPal's verify API failing is an outage, not a verdict", async () => {
      const base = await setup();
      const config = { ...base.config, certHosts: [...base.config.certHosts, unreachable] };
      const raw = body();
      const headers = await signed(config, raw, { certUrl: `http://${unreachable}/v1/notifications/certs/CERT-1` });
      await paypal.failNext({ path: "/v1/notifications/verify-webhook-signature", status: 500 });
      await expect(new PayPalAdapter(config).verifyWebhook(headers, raw, Date.now())).rejects.toMatchObject({ code: "paypal_unavailable", status: 502 });
      // no PayPal-Request-Id on it: not repeated
      expect(await verifications(headers.get("PAYPAL-TRANSMISSION-ID")!)).toHaveLength(1);
    });
  });
});
