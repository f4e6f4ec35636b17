// One POST of a notification to a merchant's URL: refused unless the URL is an allowed target for
// the mode (target-url.ts), signed with the merchant's current secrets, answered within the
// timeout or counted as unanswered. The notifications consumer logs and retries what this sends;
// the endpoint test sends through it once.
import { tracedFetch } from "../observability/traced-fetch";
import { signingSecrets, type Endpoint } from "./endpoints";
import { notificationSignature } from "./signature";
import { targetUrlProblem } from "./target-url";

/** How long a merchant has to answer: 10 s unless configured (NOTIFY_TIMEOUT_MS). */
const deliveryTimeoutMs = (env: Env) => Number(env.NOTIFY_TIMEOUT_MS || 10_000);

/** How many characters of the answer are kept. */
const EXCERPT_CHARS = 500;

export interface Notification {
  url: string;
  merchantId: string;
  livemode: boolean;
  eventId: string;
  eventType: string;
  /** The event's JSON, exactly as it is signed and sent. */
  body: string;
}

export interface SendResult {
  /** The answer's status; null when there was none (refused target, no connection, timeout). */
  statusCode: number | null;
  /** The first 500 characters of the answer. */
  excerpt: string | null;
  error: string | null;
  startedAt: number;
  latencyMs: number;
  /** Answered 2xx. */
  ok: boolean;
}

/** `endpoint`: the merchant's endpoint row for the mode as the caller found it (undefined: none yet). */
export async function sendNotification(env: Env, endpoint: Endpoint | undefined, n: Notification): Promise<SendResult> {
  const startedAt = Date.now();
  let statusCode: number | null = null;
  let excerpt: string | null = null;
  const problem = targetUrlProblem(n.url, n.livemode);
  let error = problem === null ? null : `target ${problem}`;
  if (problem === null) {
    const secrets = await signingSecrets(env, endpoint, n.merchantId, n.livemode, startedAt);
    const signature = await notificationSignature(secrets, n.body, Math.floor(startedAt / 1000));
    try {
      // traced: the merchant's tracing can join the payment's trace
      const response = await tracedFetch(n.url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "User-Agent": "edge-payment-platform/1 (+webhooks)",
          "X-Payment-Signature": signature,
          "X-Event-Id": n.eventId,
          "X-Event-Type": n.eventType,
        },
        body: n.body,
        redirect: "manual",
        signal: AbortSignal.timeout(deliveryTimeoutMs(env)),
      });
      statusCode = response.status;
      excerpt = (await response.text()).slice(0, EXCERPT_CHARS);
    } catch (caught) {
      error = caught instanceof Error && caught.name === "TimeoutError" ? `no answer within ${deliveryTimeoutMs(env)} ms` : "connection failed";
    }
  }
  const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
  return { statusCode, excerpt, error, startedAt, latencyMs: Date.now() - startedAt, ok };
}
