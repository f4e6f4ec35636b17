// What every log line is about: the request or message being handled, its trace and span, and
// the merchant and payment or order once they are known. Held in AsyncLocalStorage, so code far
// from the entry point logs with it without being handed it. Each entry point (the HTTP
// middleware, a queue message, a Durable Object's command) runs its work inside one.
import { AsyncLocalStorage } from "node:async_hooks";
import { childSpan, continueOrStart, formatTraceparent, startTrace, type TraceContext } from "./trace-context";

export interface LogContext {
  trace: TraceContext;
  /** Another trace this work was asked for in (a later request about a record traced since its create). */
  linkedTraceId?: string;
  requestId?: string;
  merchantId?: string;
  paymentNo?: string;
  orderNo?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

export const currentContext = (): LogContext | undefined => storage.getStore();

export function runInContext<T>(context: LogContext, work: () => T): T {
  return storage.run(context, work);
}

/** Runs a queue message's work in the trace it was sent in (a new one if it carries none). */
export const runTraced = <T>(traceparent: string | undefined, work: () => T): T => runInContext({ trace: continueOrStart(traceparent) }, work);

/** Adds what has just become known (the merchant, the payment) to the lines still to come. */
export function annotate(fields: Pick<LogContext, "merchantId" | "paymentNo" | "orderNo">): void {
  const context = storage.getStore();
  if (!context) return;
  for (const [key, value] of Object.entries(fields) as Array<[keyof typeof fields, string | undefined]>) {
    if (value !== undefined) context[key] = value;
  }
}

/** The current trace id, if any work is being traced. */
export const currentTraceId = (): string | undefined => storage.getStore()?.trace.traceId;

/**
 * The `traceparent` to send on a call out of this work (a channel, a merchant's endpoint, a queue
 * message): a new span, child of the current one. Outside any traced work, a new trace.
 */
export function outgoingTraceparent(): string {
  const context = storage.getStore();
  return formatTraceparent(context ? childSpan(context.trace) : startTrace());
}
