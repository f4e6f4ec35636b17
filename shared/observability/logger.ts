// The platform's one logger: a JSON line per entry (Workers Logs indexes its fields), with the
// current request's context (log-context.ts) and the fields given. Secrets never reach a line:
// fields named for secrets are replaced, and values shaped like keys or card numbers are masked,
// whatever their field's name.
import { currentContext } from "./log-context";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export const REDACTED = "[redacted]";

/** Field names whose values are secret by what they are, not by how they look. */
const SECRET_FIELD = /secret|password|passwd|token|authorization|cookie|api_?key|credential|signature|card|cvc|cvv|pan$|private/i;

// sk_test_…/sk_live_… (ours and Stripe's), whsec_…, pk_…/rk_…; JWTs; Basic/Bearer credentials;
// and 13-19 digit runs that pass Luhn (card numbers, with or without spaces or dashes).
const SECRET_VALUE = /\b(?:sk|rk|pk)_(?:test|live)_[0-9A-Za-z]{8,}|\bwhsec_[0-9A-Za-z+/=]{8,}|\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}|\b(?:Bearer|Basic)\s+[\w.~+/=-]{8,}/g;
const DIGIT_RUN = /\b\d(?:[ -]?\d){12,18}\b/g;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * A string with anything shaped like a key, token or card number masked. Identifiers (order_no,
 * *_id) are the merchant's own digits and keep them: a long order number may pass Luhn.
 */
export function maskSecrets(text: string, identifier = false): string {
  const masked = text.replace(SECRET_VALUE, REDACTED);
  return identifier ? masked : masked.replace(DIGIT_RUN, (run) => (luhn(run.replace(/\D/g, "")) ? REDACTED : run));
}

const IDENTIFIER_FIELD = /(?:_no|_id|Id|No)$/;

function clean(value: unknown, depth: number, key = ""): unknown {
  if (typeof value === "string") return maskSecrets(value, IDENTIFIER_FIELD.test(key));
  if (value instanceof Error) return maskSecrets(`${value.name}: ${value.message}`);
  if (value === null || typeof value !== "object") return value;
  if (depth > 4) return "[nested]";
  if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1, key));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_FIELD.test(k) ? REDACTED : clean(v, depth + 1, k);
  return out;
}

const WRITERS: Record<LogLevel, (line: string) => void> = {
  debug: (line) => console.debug(line),
  info: (line) => console.log(line),
  warn: (line) => console.warn(line),
  error: (line) => console.error(line),
};

function write(level: LogLevel, message: string, fields: LogFields = {}): void {
  const context = currentContext();
  const line = {
    level,
    message,
    time: new Date().toISOString(),
    ...(context && {
      trace_id: context.trace.traceId,
      span_id: context.trace.spanId,
      ...(context.trace.parentSpanId && { parent_span_id: context.trace.parentSpanId }),
      ...(context.linkedTraceId && { linked_trace_id: context.linkedTraceId }),
      ...(context.requestId && { request_id: context.requestId }),
      ...(context.merchantId && { merchant_id: context.merchantId }),
      ...(context.paymentNo && { payment_no: context.paymentNo }),
      ...(context.orderNo && { order_no: context.orderNo }),
    }),
    ...(clean(fields, 0) as LogFields),
  };
  WRITERS[level](JSON.stringify(line));
}

export const log = {
  debug: (message: string, fields?: LogFields) => write("debug", message, fields),
  info: (message: string, fields?: LogFields) => write("info", message, fields),
  warn: (message: string, fields?: LogFields) => write("warn", message, fields),
  error: (message: string, fields?: LogFields) => write("error", message, fields),
};
