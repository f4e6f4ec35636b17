// X-Payment-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">, one v1 per signing
// secret (two while a rotated secret overlaps), as merchants verify in the README's example.
import { hmacSha256Hex } from "../crypto";

export async function notificationSignature(secrets: string[], body: string, timestamp: number): Promise<string> {
  const signatures = await Promise.all(secrets.map((secret) => hmacSha256Hex(secret, `${timestamp}.${body}`)));
  return [`t=${timestamp}`, ...signatures.map((s) => `v1=${s}`)].join(",");
}
