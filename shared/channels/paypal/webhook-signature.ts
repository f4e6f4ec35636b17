// PayPal's webhook signature, verified offline: PayPal signs
// "<transmission id>|<transmission time>|<webhook id>|<CRC32 of the body, unsigned decimal>" with
// RSASSA-PKCS1-v1_5 / SHA-256 under the certificate its PAYPAL-CERT-URL header names. That URL
// comes from the request, so it is fetched only from PayPal's own hosts over https (or a host
// the configuration names: the local emulator), without following redirects: a forged header
// can make the platform fetch nothing else. Certificates are kept per URL in isolate memory.
// When the certificate cannot be had (network error, 5xx) or PayPal used another algorithm,
// PayPal's verify-webhook-signature API decides instead.
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate } from "@peculiar/asn1-x509";
import * as CRC32 from "crc-32";
import { WebhookVerificationError } from "../adapter";
import { SIGNATURE_TOLERANCE_SECONDS } from "../signature";
import type { PayPalClient } from "./client";
import type { PayPalConfig } from "./config";
import { VerificationWire } from "./transformers";

const ALGORITHM = "SHA256withRSA";
const CERT_TIMEOUT_MS = 10_000;
/** Certificates kept; PayPal rotates its signing certificate rarely, so a few suffice. */
const CERT_CACHE_LIMIT = 32;

interface SigningCertificate {
  key: CryptoKey;
  notBefore: number;
  notAfter: number;
}

const certificates = new Map<string, SigningCertificate>();
const encoder = new TextEncoder();

const invalid = (message: string) => new WebhookVerificationError("webhook_signature_invalid", message);

interface Transmission {
  id: string;
  time: string;
  signature: string;
  certUrl: string;
  algorithm: string;
}

function transmissionOf(headers: Headers): Transmission {
  const read = (name: string) => {
    const value = headers.get(name);
    if (!value) throw new WebhookVerificationError("webhook_signature_missing", `No ${name} header.`);
    return value;
  };
  return {
    id: read("PAYPAL-TRANSMISSION-ID"),
    time: read("PAYPAL-TRANSMISSION-TIME"),
    signature: read("PAYPAL-TRANSMISSION-SIG"),
    certUrl: read("PAYPAL-CERT-URL"),
    algorithm: read("PAYPAL-AUTH-ALGO"),
  };
}

/** The cert URL if the platform may fetch it: https on paypal.com or a subdomain, or a configured host. */
function trustedCertUrl(raw: string, certHosts: string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid("PAYPAL-CERT-URL is not a URL.");
  }
  const paypal = url.protocol === "https:" && url.port === "" && (url.hostname === "paypal.com" || url.hostname.endsWith(".paypal.com"));
  const configured = (url.protocol === "https:" || url.protocol === "http:") && certHosts.includes(url.host);
  if (!paypal && !configured) throw invalid(`PAYPAL-CERT-URL is not on a PayPal host: ${url.host}.`);
  return url;
}

function derOf(pem: string): Uint8Array {
  const body = /-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/.exec(pem)?.[1];
  if (!body) throw invalid("PAYPAL-CERT-URL did not serve a PEM certificate.");
  try {
    return Uint8Array.from(atob(body.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
  } catch {
    throw invalid("PAYPAL-CERT-URL served a certificate that is not base64.");
  }
}

async function certificateFrom(pem: string): Promise<SigningCertificate> {
  let certificate: Certificate;
  try {
    certificate = AsnConvert.parse(derOf(pem), Certificate);
  } catch (error) {
    if (error instanceof WebhookVerificationError) throw error;
    throw invalid("PAYPAL-CERT-URL served something that is not an X.509 certificate.");
  }
  const { validity, subjectPublicKeyInfo } = certificate.tbsCertificate;
  const key = await crypto.subtle
    .importKey("spki", AsnConvert.serialize(subjectPublicKeyInfo), { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"])
    .catch(() => {
      throw invalid("The signing certificate's key is not an RSA key.");
    });
  return { key, notBefore: validity.notBefore.getTime().getTime(), notAfter: validity.notAfter.getTime().getTime() };
}

/** The certificate at `url`, or null when it cannot be had now (network error, 5xx). */
async function signingCertificate(url: URL): Promise<SigningCertificate | null> {
  const cached = certificates.get(url.href);
  if (cached) return cached;
  let response: Response;
  try {
    response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(CERT_TIMEOUT_MS) });
  } catch {
    return null;
  }
  if (response.status >= 500) return null;
  if (response.status !== 200) throw invalid(`PAYPAL-CERT-URL answered ${response.status}.`);
  // decoded by hand: PayPal serves PEM under a non-text content type
  const certificate = await certificateFrom(new TextDecoder().decode(await response.arrayBuffer()));
  if (certificates.size >= CERT_CACHE_LIMIT) certificates.delete(certificates.keys().next().value!);
  certificates.set(url.href, certificate);
  return certificate;
}

function bytesOf(base64: string): Uint8Array {
  try {
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  } catch {
    throw invalid("PAYPAL-TRANSMISSION-SIG is not base64.");
  }
}

/** PayPal's own answer, for what cannot be verified here. The event goes back as PayPal sent it. */
async function verifiedByPayPal(client: PayPalClient, webhookId: string, transmission: Transmission, rawBody: string): Promise<void> {
  let event: unknown;
  try {
    event = JSON.parse(rawBody);
  } catch {
    throw invalid("The webhook body is not JSON.");
  }
  const answer = await client.post(
    "/v1/notifications/verify-webhook-signature",
    {
      auth_algo: transmission.algorithm,
      cert_url: transmission.certUrl,
      transmission_id: transmission.id,
      transmission_sig: transmission.signature,
      transmission_time: transmission.time,
      webhook_id: webhookId,
      webhook_event: event,
    },
    VerificationWire,
  );
  if (answer.verification_status !== "SUCCESS") throw invalid("PayPal did not verify the signature.");
}

/** Throws WebhookVerificationError unless PayPal signed this body for `config.webhookId`, within the tolerance of `now`. */
export async function verifyPayPalSignature(config: PayPalConfig, client: PayPalClient, headers: Headers, rawBody: string, now: number): Promise<void> {
  const transmission = transmissionOf(headers);
  const sentAt = Date.parse(transmission.time);
  if (Number.isNaN(sentAt)) throw invalid("PAYPAL-TRANSMISSION-TIME is not a time.");
  if (Math.abs(now - sentAt) > SIGNATURE_TOLERANCE_SECONDS * 1000) {
    throw new WebhookVerificationError("webhook_timestamp_stale", `PAYPAL-TRANSMISSION-TIME is more than ${SIGNATURE_TOLERANCE_SECONDS} s from now.`);
  }
  const certUrl = trustedCertUrl(transmission.certUrl, config.certHosts);
  const certificate = transmission.algorithm === ALGORITHM ? await signingCertificate(certUrl) : null;
  if (!certificate) return verifiedByPayPal(client, config.webhookId, transmission, rawBody);
  if (now < certificate.notBefore || now > certificate.notAfter) throw invalid("The signing certificate is not valid now.");
  const crc = CRC32.buf(encoder.encode(rawBody)) >>> 0;
  const signed = encoder.encode(`${transmission.id}|${transmission.time}|${config.webhookId}|${crc}`);
  const valid = await crypto.subtle.verify("RSASSA-PKCS1-v1_5", certificate.key, bytesOf(transmission.signature), signed);
  if (!valid) throw invalid("No signature matches the payload.");
}
