// How long a queue message waits before its next try: exponential backoff for the platform's own
// failures, and the configured schedule (NOTIFY_RETRY_SCHEDULE, with jitter) for a merchant's
// endpoint or a mail server that did not take what was sent.

/** Backoff for our own failures (D1, an object, a channel down): 2^attempts seconds, at most 10 minutes. */
export const retryDelaySeconds = (attempts: number) => Math.min(600, 2 ** attempts);

/** Seconds to wait before each retry of a delivery; its length is the number of retries. */
export function retrySchedule(env: Env): number[] {
  return (env.NOTIFY_RETRY_SCHEDULE || "60").split(",").map((s) => Number(s.trim()));
}

/** ±10 % jitter, so receivers that come back are not hit by every retry at once. */
export const withJitter = (seconds: number) => Math.max(0, Math.round(seconds * (0.9 + Math.random() * 0.2)));
