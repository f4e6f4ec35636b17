// One request to a channel's REST API over fetch, as the channels without an SDK make them: ten
// seconds a try, the body read as JSON (or null), and a network error or 5xx tried again, after a
// short pause, only when repeating the call is safe (a GET, or a POST the channel deduplicates).
// The channel reads the answer: `answerThrough` its schema for a success, its own error table else.
// A failed call is `notProcessed` only when the channel refused it before doing anything (429,
// 503) on every try; a network error or another 5xx may have come after the work was done.
import type { z } from "zod";
import { tracedFetch } from "../observability/traced-fetch";
import { ChannelError } from "./adapter";

const TIMEOUT_MS = 10_000;
/** Waits before the second and third tries of a repeatable call. */
const RETRY_DELAYS_MS = [100, 400];

export interface ChannelAnswer {
  status: number;
  body: unknown;
}

/** An answer that proves the channel did nothing: rate limited (429) or unavailable (503). */
export const notProcessed = (status: number) => status === 429 || status === 503;

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** `channel` names it in errors ("PayPal"); its code prefix is its lower-cased name ("paypal_unavailable"). */
export async function sendToChannel(
  channel: string,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
  repeatable: boolean,
): Promise<ChannelAnswer> {
  // whether an earlier try may have taken effect: a later refusal does not undo it
  let uncertain = false;
  for (let attempt = 0; ; attempt++) {
    // a body cut off mid-read is as unreachable as no answer
    const outcome = await tracedFetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) })
      .then(async (response): Promise<ChannelAnswer> => ({ status: response.status, body: await readBody(response) }))
      .catch((error: unknown) => ({ error }));
    const delay = RETRY_DELAYS_MS[attempt];
    const failed = "error" in outcome || outcome.status >= 500;
    if (failed && repeatable && delay !== undefined) {
      uncertain ||= "error" in outcome || !notProcessed(outcome.status);
      await new Promise((resolve) => setTimeout(resolve, delay));
      continue;
    }
    if ("error" in outcome) {
      throw new ChannelError(`${channel.toLowerCase()}_unavailable`, `${channel} could not be reached for ${init.method} ${url}: ${String(outcome.error)}.`, 502);
    }
    if (uncertain && notProcessed(outcome.status)) {
      throw new ChannelError(
        `${channel.toLowerCase()}_unavailable`,
        `${channel} answered ${init.method} ${url} with ${outcome.status} after an earlier try that may have taken effect.`,
        502,
      );
    }
    return outcome;
  }
}

/** A 2xx body through `schema`; a channel answering what the platform cannot read is an outage. */
export function answerThrough<S extends z.ZodType>(channel: string, schema: S, body: unknown, request: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map(String).join(".") || "the body";
  throw new ChannelError(
    `${channel.toLowerCase()}_unexpected_response`,
    `${channel} answered ${request} with a body the platform cannot read: ${field}: ${issue.message}.`,
    502,
  );
}
