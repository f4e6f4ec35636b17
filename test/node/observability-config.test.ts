// wrangler.toml turns on Workers Logs and Traces with the sampling the README documents: every
// log line kept (a payment is followed by its lines), the runtime's traces sampled.
import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";

const config = unstable_readConfig({ config: "wrangler.toml" });

describe("Workers observability in wrangler.toml", () => {
  it("keeps every log line, with the invocation logs", () => {
    expect(config.observability?.enabled).toBe(true);
    expect(config.observability?.logs).toMatchObject({ enabled: true, head_sampling_rate: 1, invocation_logs: true });
  });

  it("samples the runtime's traces at a documented rate between 0 and 1", () => {
    const traces = config.observability?.traces;
    expect(traces?.enabled).toBe(true);
    expect(traces?.head_sampling_rate).toBeGreaterThan(0);
    expect(traces?.head_sampling_rate).toBeLessThanOrEqual(1);
  });
});
