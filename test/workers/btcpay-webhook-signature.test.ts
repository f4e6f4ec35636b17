// BTCPay webhook signatures, made here as BTCPay makes them (node:crypto's HMAC over the raw
// body's UTF-8 bytes), apart from the Web Crypto code that checks them.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ChannelAdapter } from "../../shared/channels/adapter";
import { BTCPayAdapter } from "../../shared/channels/btcpay/adapter";
import type { BTCPayConfig } from "../../shared/channels/btcpay/config";

const SECRET = "3r8tLKyBrJ4mZxN2Gj4a7kQe";
const config: BTCPayConfig = {
  serverUrl: "https://btcpay.example.com",
  storeId: "9CiNzKoANXxmk5ayZngSXrHTiVvvgCrwrpFQd4m2K776",
  apiKey: "key",
  webhookSecret: SECRET,
  speedPolicy: "MediumSpeed",
  expirationMinutes: 15,
};
// as the platform holds it: verifyWebhook(headers, rawBody, now)
const adapter: ChannelAdapter = new BTCPayAdapter(config);

const body = JSON.stringify({
  deliveryId: "Lx8PcqWQzTKz6wBZJuB3Fq",
  webhookId: "Bk1cNYFJ5rUV9ZwkHiDz8M",
  originalDeliveryId: "Lx8PcqWQzTKz6wBZJuB3Fq",
  isRedelivery: false,
  type: "InvoiceSettled",
  timestamp: 1592312018,
  storeId: config.storeId,
  invoiceId: "HMprBnL9BTXWuPvpoKBS6e",
  metadata: { orderId: "PY0123456789ABCDEFGHJKMNPQ", itemDesc: "Thé vert — 緑茶" },
  manuallyMarked: false,
  overPaid: false,
});

const sign = (raw: string, secret = SECRET) => `sha256=${createHmac("sha256", secret).update(raw, "utf8").digest("hex")}`;
const headers = (signature?: string) => new Headers(signature === undefined ? {} : { "BTCPay-Sig": signature });

describe("BTCPay webhook signature", () => {
  it("accepts a body signed with the store webhook's secret, non-ASCII included", async () => {
    await expect(adapter.verifyWebhook(headers(sign(body)), body, Date.now())).resolves.toBeUndefined();
  });

  it("accepts it whatever the time: BTCPay signs no timestamp (replays are deduplicated by originalDeliveryId)", async () => {
    await expect(adapter.verifyWebhook(headers(sign(body)), body, Date.now() + 365 * 86_400_000)).resolves.toBeUndefined();
  });

  it("accepts upper-case hex", async () => {
    const signature = sign(body);
    await expect(adapter.verifyWebhook(headers(`sha256=${signature.slice(7).toUpperCase()}`), body, Date.now())).resolves.toBeUndefined();
  });

  it("refuses an altered body", async () => {
    const altered = body.replace('"overPaid":false', '"overPaid":true');
    await expect(adapter.verifyWebhook(headers(sign(body)), altered, Date.now())).rejects.toMatchObject({ code: "webhook_signature_invalid" });
  });

  it("refuses a body signed with another secret", async () => {
    await expect(adapter.verifyWebhook(headers(sign(body, "another-store-secret")), body, Date.now())).rejects.toMatchObject({
      code: "webhook_signature_invalid",
      message: "No signature matches the payload.",
    });
  });

  it("refuses a delivery without BTCPay-Sig", async () => {
    await expect(adapter.verifyWebhook(headers(), body, Date.now())).rejects.toMatchObject({ code: "webhook_signature_missing" });
    await expect(adapter.verifyWebhook(headers(""), body, Date.now())).rejects.toMatchObject({ code: "webhook_signature_missing" });
  });

  it.each([
    ["the bare hex, without sha256=", (s: string) => s.slice(7)],
    ["another algorithm", (s: string) => s.replace("sha256=", "sha1=")],
    ["a truncated digest", (s: string) => s.slice(0, -2)],
    ["a digest that is not hex", (s: string) => `${s.slice(0, -1)}g`],
    ["two signatures", (s: string) => `${s},${s}`],
  ])("refuses a malformed header: %s", async (_, mangle) => {
    await expect(adapter.verifyWebhook(headers(mangle(sign(body))), body, Date.now())).rejects.toMatchObject({
      code: "webhook_signature_invalid",
      message: expect.stringContaining("Malformed"),
    });
  });
});
