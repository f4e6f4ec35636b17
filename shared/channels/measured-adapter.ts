// Every call to a channel, measured: its latency and outcome go to an Analytics Engine point and
// to the edgepay_channel_call_duration_seconds histogram. The registry wraps each adapter it makes
// in this, so no call site measures anything itself.
import { waitUntil } from "cloudflare:workers";
import { currentContext } from "../observability/log-context";
import { writeChannelCallPoint } from "../observability/analytics";
import { log } from "../observability/logger";
import { observeStatement, recordMetrics } from "../observability/metrics-store";
import { ChannelError, type ChannelAdapter } from "./adapter";
import type { ChannelName } from "./registry";

/** The calls that reach the channel, as the `operation` label names them (webhook checks are local). */
const OPERATIONS: Partial<Record<keyof ChannelAdapter, string>> = {
  createPayment: "create_payment",
  getPayment: "get_payment",
  completePayment: "complete_payment",
  cancelPayment: "cancel_payment",
  createRefund: "create_refund",
  getRefund: "get_refund",
  verifyCredentials: "verify_credentials",
};

/**
 * ok: the channel did what was asked; declined: it answered with a refusal (an error of its own,
 * or a payment or refund that failed); unavailable: it could not be reached or answered 5xx, 429
 * or a body the platform cannot read (ChannelError 502, timeouts included); error: anything else.
 */
export function outcomeOf(result: { ok: true; value: unknown } | { ok: false; error: unknown }): string {
  if (result.ok) {
    const failure = (result.value as { failure?: unknown } | null)?.failure;
    return failure ? "declined" : "ok";
  }
  if (result.error instanceof ChannelError) return result.error.status === 502 ? "unavailable" : "declined";
  return "error";
}

function record(env: Env, channel: ChannelName, operation: string, outcome: string, latencyMs: number): void {
  writeChannelCallPoint(env, { channel, operation, outcome, latencyMs, merchantId: currentContext()?.merchantId ?? null });
  // Not in the caller's way: the write runs past the call, kept alive by the invocation (request,
  // queue message or Durable Object event) it belongs to. Should the runtime stop in that instant,
  // one observation is lost; a failed write is logged and dropped.
  const write = recordMetrics(env, (orm) => [
    observeStatement(orm, "edgepay_channel_call_duration_seconds", { channel, operation, outcome }, latencyMs / 1000),
  ]).catch((error: unknown) => log.warn("channel call not measured", { channel, operation, error: String(error) }));
  waitUntil(write);
}

/** The adapter with its channel calls measured; everything else passes through as it is. */
export function measured(adapter: ChannelAdapter, channel: ChannelName, env: Env): ChannelAdapter {
  return new Proxy(adapter, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      const operation = OPERATIONS[property as keyof ChannelAdapter];
      if (operation === undefined || typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        const started = Date.now();
        try {
          const result: unknown = await value.apply(target, args);
          record(env, channel, operation, outcomeOf({ ok: true, value: result }), Date.now() - started);
          return result;
        } catch (error) {
          record(env, channel, operation, outcomeOf({ ok: false, error }), Date.now() - started);
          throw error;
        }
      };
    },
  });
}
