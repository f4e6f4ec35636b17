// Reading a channel's webhook body: JSON, then the channel's schema of its events. Whatever does
// not fit is refused with the first field at fault, so a signed body of the wrong shape ("id": 123)
// is a 400 and never reaches storage.
import type { z } from "zod";
import { WebhookPayloadError } from "./adapter";

/** `value` read through `schema`; `at` names where it sits in the body ("data.object"). */
export function checkWire<T extends z.ZodType>(schema: T, value: unknown, at?: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = [at, ...issue.path.map(String)].filter(Boolean).join(".") || "the body";
  throw new WebhookPayloadError(`The webhook body is not an event of this channel: ${field}: ${issue.message}.`);
}

export function readWire<T extends z.ZodType>(schema: T, rawBody: string): z.infer<T> {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new WebhookPayloadError("The webhook body is not JSON.");
  }
  return checkWire(schema, json);
}
