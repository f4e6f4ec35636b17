// The README's signature-verification example, run as merchants would run it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { verifyWebhook } from "../../docs/examples/verify-webhook.mjs";
import { notificationSignature } from "../../shared/notifications/signature";

const body = JSON.stringify({ id: "evt_1", type: "payment.succeeded" });
const now = () => Math.floor(Date.now() / 1000);

describe("the README's webhook verification example", () => {
  it("is in the README verbatim", () => {
    const example = readFileSync(new URL("../../docs/examples/verify-webhook.mjs", import.meta.url), "utf8");
    expect(readFileSync(new URL("../../README.md", import.meta.url), "utf8")).toContain(example.trim());
  });

  it("accepts the platform's signature, from either secret during a rotation", async () => {
    const header = await notificationSignature(["whsec_new", "whsec_old"], body, now());
    expect(verifyWebhook(header, body, "whsec_new")).toBe(true);
    expect(verifyWebhook(header, body, "whsec_old")).toBe(true);
  });

  it("refuses a tampered body, a wrong secret and a stale timestamp", async () => {
    const header = await notificationSignature(["whsec_new"], body, now());
    expect(verifyWebhook(header, body.replace("evt_1", "evt_2"), "whsec_new")).toBe(false);
    expect(verifyWebhook(header, body, "whsec_other")).toBe(false);
    const stale = await notificationSignature(["whsec_new"], body, now() - 301);
    expect(verifyWebhook(stale, body, "whsec_new")).toBe(false);
  });
});
