// API keys: `sk_test_…` / `sk_live_…` followed by 32 base62 symbols (about 190 bits).
// Only the SHA-256 of a key is stored. A key has that much entropy, so a fast hash is safe:
// there is nothing to brute-force, and authentication stays one indexed lookup.
import { randomBase62, sha256Hex } from "../crypto";

const KEY_PATTERN = /^sk_(test|live)_([A-Za-z0-9]{24,64})$/;

export interface ParsedKey {
  livemode: boolean;
  secret: string;
}

export function parseApiKey(secret: string): ParsedKey | null {
  const match = KEY_PATTERN.exec(secret);
  return match ? { livemode: match[1] === "live", secret } : null;
}

export function generateApiKey(livemode: boolean): string {
  return `sk_${livemode ? "live" : "test"}_${randomBase62(32)}`;
}

export const hashApiKey = (secret: string) => sha256Hex(secret);

/** What may be shown of a key after creation: its mode and first four random symbols. */
export const displayPrefix = (secret: string) => secret.slice(0, secret.indexOf("_", 3) + 5);
