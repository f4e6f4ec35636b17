// W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` header that names a
// trace and the span a message was sent from. Written here rather than taken from a package: the
// format is one line of four hex fields, and the packages that parse it bring a random polyfill
// (traceparent) or OpenTelemetry's whole context API (@opentelemetry/core).
import { toHex } from "../crypto";

export interface TraceContext {
  /** 32 hex digits, not all zero: one request's whole journey, async hops included. */
  traceId: string;
  /** 16 hex digits: this hop. */
  spanId: string;
  /** The span this one was started from; null at a trace's root. */
  parentSpanId: string | null;
  /** The caller's sampling flag, passed on unchanged (Workers' own sampling is in wrangler.toml). */
  sampled: boolean;
}

// version 00; later versions may append fields after a dash, which a 00 parser ignores
/** A queue message (or any hand-off) carrying the trace of the work that sent it. */
export interface Traced {
  traceparent?: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

const randomHex = (bytes: number) => toHex(crypto.getRandomValues(new Uint8Array(bytes)));
const allZero = (hex: string) => /^0+$/.test(hex);

/** The caller's context, or null when the header is absent or malformed (the spec says: start anew). */
export function parseTraceparent(header: string | null | undefined): TraceContext | null {
  const match = header ? TRACEPARENT.exec(header.trim()) : null;
  if (!match) return null;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === "ff" || (version === "00" && rest !== undefined)) return null;
  if (allZero(traceId!) || allZero(spanId!)) return null;
  return { traceId: traceId!, spanId: spanId!, parentSpanId: null, sampled: (parseInt(flags!, 16) & 1) === 1 };
}

export const formatTraceparent = (trace: TraceContext) => `00-${trace.traceId}-${trace.spanId}-${trace.sampled ? "01" : "00"}`;

/** A new trace's root span. */
export const startTrace = (): TraceContext => ({ traceId: randomHex(16), spanId: randomHex(8), parentSpanId: null, sampled: true });

/** A span started from `parent`, in the same trace. */
export const childSpan = (parent: TraceContext): TraceContext => ({ ...parent, spanId: randomHex(8), parentSpanId: parent.spanId });

/** A span in the trace `traceId` names (a record's stored trace), for work done later on its behalf. */
export const spanInTrace = (traceId: string): TraceContext => ({ traceId, spanId: randomHex(8), parentSpanId: null, sampled: true });

/** Carries on the caller's trace (a child of its span), or starts one when the header has none. */
export const continueOrStart = (header: string | null | undefined): TraceContext => {
  const caller = parseTraceparent(header);
  return caller ? childSpan(caller) : startTrace();
};
