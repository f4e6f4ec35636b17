// The `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` signature scheme. Stripe signs its
// webhooks this way, and so do the sandbox channel and the platform's own merchant webhooks.
import { hmacSha256Hex, secretsEqual } from "../crypto";
import { WebhookVerificationError } from "./adapter";

export const SIGNATURE_TOLERANCE_SECONDS = 300;

export async function signPayload(secret: string, body: string, timestamp: number): Promise<string> {
  return `t=${timestamp},v1=${await hmacSha256Hex(secret, `${timestamp}.${body}`)}`;
}

/**
 * Verifies a signature header against any of `secrets` (more than one during a rotation).
 * Comparison is constant-time; the timestamp must be within the tolerance of `now`.
 */
export async function verifySignature(
  header: string | null,
  body: string,
  secrets: string[],
  now: number,
): Promise<void> {
  if (!header) throw new WebhookVerificationError("webhook_signature_missing", "No signature header.");
  const parts = header.split(",").map((part) => part.trim().split("="));
  const timestamp = Number(parts.find(([k]) => k === "t")?.[1]);
  const signatures = parts.filter(([k, v]) => k === "v1" && v).map(([, v]) => v!);
  if (!Number.isInteger(timestamp) || signatures.length === 0) {
    throw new WebhookVerificationError("webhook_signature_invalid", "Malformed signature header.");
  }
  if (Math.abs(now / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) {
    throw new WebhookVerificationError(
      "webhook_timestamp_stale",
      `Signature timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} s from now.`,
    );
  }
  for (const secret of secrets) {
    const expected = await hmacSha256Hex(secret, `${timestamp}.${body}`);
    for (const signature of signatures) {
      if (await secretsEqual(signature, expected)) return;
    }
  }
  throw new WebhookVerificationError("webhook_signature_invalid", "No signature matches the payload.");
}
