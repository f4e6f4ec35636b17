// Business numbers (PY… payments, OR… orders): a two-letter prefix and 24 Crockford base32
// symbols (120 bits). Derived from a key when the number must be the same for every request
// about one thing (so the Durable Object named by it is the one place they meet), random otherwise.
import { sha256Hex } from "./crypto";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export const businessNoPattern = (prefix: string) => new RegExp(`^${prefix}[0-9A-HJKMNP-TV-Z]{24}$`);

const encode = (prefix: string, bytes: ArrayLike<number>) => {
  let out = prefix;
  for (let i = 0; i < 24; i++) out += CROCKFORD[bytes[i]! % 32];
  return out;
};

/** The number for this merchant, mode and key: the same inputs always give the same number. */
export async function derivedBusinessNo(prefix: string, merchantId: string, livemode: boolean, key: string) {
  const hex = await sha256Hex(`${merchantId}\u0000${livemode ? "live" : "test"}\u0000${key}`);
  return encode(prefix, Array.from({ length: 24 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)));
}

export const randomBusinessNo = (prefix: string) => encode(prefix, crypto.getRandomValues(new Uint8Array(24)));
