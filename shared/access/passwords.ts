// Passwords of dashboard users, stored as PBKDF2-SHA256 through Web Crypto. 100,000 iterations is
// the most Workers' Web Crypto derives (it refuses more); the bench measures what one costs.
import { invalidRequest } from "../errors";

export const PBKDF2_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const KEY_BITS = 256;
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

const encoder = new TextEncoder();
const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const material = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, material, KEY_BITS);
  return new Uint8Array(bits);
}

/** Refuses a password too short to resist guessing or too long to hash cheaply, naming the field. */
export function checkPasswordStrength(password: string): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw invalidRequest(
      "password_invalid",
      `Invalid password: must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`,
      "password",
    );
  }
}

/** `pbkdf2-sha256$<iterations>$<salt>$<key>`, salt and key in base64. */
export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  return `pbkdf2-sha256$${iterations}$${toBase64(salt)}$${toBase64(await derive(password, salt, iterations))}`;
}

/** Whether `password` is the one `stored` was made from; compares in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterations, salt, key] = stored.split("$");
  if (scheme !== "pbkdf2-sha256" || !iterations || !salt || !key) return false;
  const expected = fromBase64(key);
  const derived = await derive(password, fromBase64(salt), Number(iterations));
  return derived.byteLength === expected.byteLength && crypto.subtle.timingSafeEqual(derived, expected);
}

/**
 * A hash no password matches, verified against when the email is unknown so that an unknown
 * email takes as long to refuse as a wrong password (no account enumeration by timing).
 */
export const DECOY_HASH = `pbkdf2-sha256$${PBKDF2_ITERATIONS}$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`;
