// Small wrappers over Web Crypto, the one place that hashes, signs and compares secrets.
const encoder = new TextEncoder();
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  return Array.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), (b) =>
    b.toString(16).padStart(2, "0"),
  ).join("");
}

export async function sha256Hex(input: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", encoder.encode(input)));
}

/**
 * Work on a secret that gives the same answer every time (importing a key, opening a sealed
 * secret) is done once per isolate: it is most of what signing a webhook costs. Bounded, so a
 * stream of distinct secrets cannot grow it without end.
 */
const once = new Map<string, Promise<unknown>>();
const ONCE_LIMIT = 512;
function remembered<T>(key: string, make: () => Promise<T>): Promise<T> {
  let found = once.get(key) as Promise<T> | undefined;
  if (!found) {
    if (once.size >= ONCE_LIMIT) once.delete(once.keys().next().value!);
    found = make();
    once.set(key, found);
    found.catch(() => once.delete(key));
  }
  return found;
}

export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  const key = await remembered(`hmac:${secret}`, () =>
    crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]),
  );
  return toHex(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
}

/**
 * Constant-time string comparison. Both sides are hashed first so the comparison never
 * leaks the length of the secret either.
 */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all(
    [a, b].map((s) => crypto.subtle.digest("SHA-256", encoder.encode(s))),
  );
  return crypto.subtle.timingSafeEqual(ha!, hb!);
}

/** Uniformly random base62 string (rejection sampling keeps every symbol equally likely). */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

function aesKey(keyBase64: string): Promise<CryptoKey> {
  return remembered(`aes:${keyBase64}`, async () => {
    const raw = unb64(keyBase64);
    if (raw.length !== 32) throw new Error("the encryption key must be 32 bytes, base64");
    return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
  });
}

/** AES-256-GCM with a random 96-bit IV; the result is "v1.<iv>.<ciphertext>" in base64. */
export async function encryptSecret(keyBase64: string, plaintext: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await aesKey(keyBase64), encoder.encode(plaintext));
  return `v1.${b64(iv)}.${b64(new Uint8Array(sealed))}`;
}

export function decryptSecret(keyBase64: string, sealed: string): Promise<string> {
  return remembered(`open:${keyBase64}:${sealed}`, async () => {
    const [version, iv, data] = sealed.split(".");
    if (version !== "v1" || !iv || !data) throw new Error("unknown sealed-secret format");
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64(iv) }, await aesKey(keyBase64), unb64(data));
    return new TextDecoder().decode(plain);
  });
}
