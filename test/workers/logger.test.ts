// The logger's line: level, message, the context of the work at hand, the fields given, and
// nothing secret whatever a caller passes it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { annotate, outgoingTraceparent, runInContext } from "../../shared/observability/log-context";
import { log, maskSecrets, REDACTED } from "../../shared/observability/logger";
import { childSpan, formatTraceparent, parseTraceparent, startTrace } from "../../shared/observability/trace-context";
import { captureLogs } from "./log-capture";

describe("traceparent", () => {
  it("round-trips and keeps the sampled flag", () => {
    const header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";
    const parsed = parseTraceparent(header)!;
    expect(parsed).toEqual({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", parentSpanId: null, sampled: false });
    expect(formatTraceparent(parsed)).toBe(header);
  });

  it.each([
    ["upper-case hex", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01"],
    ["a short trace id", "00-4bf92f3577b34da6-00f067aa0ba902b7-01"],
    ["an all-zero span id", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"],
    ["version 00 with extra fields", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"],
  ])("refuses %s", (_, header) => {
    expect(parseTraceparent(header)).toBeNull();
  });

  it("accepts a later version's extra fields (forward compatible)", () => {
    expect(parseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-more")?.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
  });

  it("a child span keeps the trace and names its parent", () => {
    const root = startTrace();
    const child = childSpan(root);
    expect(child.traceId).toBe(root.traceId);
    expect(child.parentSpanId).toBe(root.spanId);
    expect(child.spanId).not.toBe(root.spanId);
  });
});

describe("log lines", () => {
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => logs.restore());

  it("carry the context: trace, span, request, merchant, payment, and what becomes known on the way", () => {
    const trace = startTrace();
    runInContext({ trace, requestId: "req_1" }, () => {
      log.info("first");
      annotate({ merchantId: "mch_1", paymentNo: "PY1" });
      log.warn("second", { attempt: 2 });
      expect(parseTraceparent(outgoingTraceparent())).toMatchObject({ traceId: trace.traceId, parentSpanId: null });
    });
    const [first, second] = logs.lines();
    expect(first).toMatchObject({ level: "info", message: "first", trace_id: trace.traceId, span_id: trace.spanId, request_id: "req_1" });
    expect(first).not.toHaveProperty("payment_no");
    expect(second).toMatchObject({ level: "warn", message: "second", merchant_id: "mch_1", payment_no: "PY1", attempt: 2 });
  });

  it("replace fields named for secrets, at any depth", () => {
    log.error("oops", { api_key: "anything", nested: { password: "hunter2", webhookSecret: "x", Authorization: "y" }, amount: 100 });
    const [line] = logs.lines();
    expect(line).toMatchObject({ api_key: REDACTED, nested: { password: REDACTED, webhookSecret: REDACTED, Authorization: REDACTED }, amount: 100 });
    expect(logs.raw()).not.toContain("hunter2");
  });

  it("mask key-, token- and card-shaped values whatever their field", () => {
    log.info("leaky", {
      detail: "used sk_test_abcdefghijklmnop and whsec_ABCDEFGHIJ1234, Bearer abc.def.ghi-jkl",
      jwt: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
      note: "card 4242 4242 4242 4242 exp 12/30",
    });
    const raw = logs.raw();
    for (const secret of ["sk_test_abcdefghijklmnop", "whsec_ABCDEFGHIJ1234", "abc.def.ghi-jkl", "eyJhbGciOiJIUzI1NiJ9", "4242 4242 4242 4242"]) {
      expect(raw).not.toContain(secret);
    }
    expect(raw).toContain("exp 12/30");
  });

  it("keep digit runs that fail Luhn, and merchants' identifiers even when they pass", () => {
    expect(maskSecrets("order 4242424242424241")).toBe("order 4242424242424241");
    log.info("ids", { order_no: "4242424242424242", merchant_reference: "4242424242424242" });
    const [line] = logs.lines();
    expect(line!.order_no).toBe("4242424242424242");
    expect(line!.merchant_reference).toBe(REDACTED);
  });
});
