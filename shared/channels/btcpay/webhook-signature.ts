// BTCPay's webhook signature: `BTCPay-Sig: sha256=<hex HMAC-SHA256 of the raw body>` under the
// store webhook's secret. BTCPay signs no timestamp, so a captured delivery stays valid forever;
// replays are harmless because events are deduplicated by originalDeliveryId (the event's id),
// which a redelivery keeps.
import { hmacSha256Hex, secretsEqual } from "../../crypto";
import { WebhookVerificationError } from "../adapter";

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/** Throws WebhookVerificationError unless `secret` signed this raw body. */
export async function verifyBTCPaySignature(secret: string, headers: Headers, rawBody: string): Promise<void> {
  const header = headers.get("BTCPay-Sig");
  if (!header) throw new WebhookVerificationError("webhook_signature_missing", "No BTCPay-Sig header.");
  const signature = SIGNATURE.exec(header.trim())?.[1];
  if (!signature) throw new WebhookVerificationError("webhook_signature_invalid", "Malformed BTCPay-Sig header (sha256=<64 hex digits>).");
  if (!(await secretsEqual(signature.toLowerCase(), await hmacSha256Hex(secret, rawBody)))) {
    throw new WebhookVerificationError("webhook_signature_invalid", "No signature matches the payload.");
  }
}
