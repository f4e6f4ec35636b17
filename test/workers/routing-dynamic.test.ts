// Dynamic ordering (shared/routing/dynamic.ts): success-rate scores and their fallbacks, ranking
// with an exploration share (checked against a seeded random), elimination by circuit, and the
// per-payment draws.
import { describe, expect, it } from "vitest";
import type { ChannelName } from "../../shared/channels/registry";
import { paymentNoFor } from "../../shared/payments/payment-no";
import { CIRCUIT_DEFAULTS, CLOSED_CIRCUIT, circuitAt, recordOutcome, type Circuit } from "../../shared/routing/circuit";
import {
  DEFAULT_SCORE,
  drawsFor,
  DYNAMIC_MIN_SAMPLE,
  eliminate,
  rankBySuccessRate,
  scoreOf,
  statsKey,
  type ChannelHealth,
  type HealthSnapshot,
  type Score,
} from "../../shared/routing/dynamic";
import { splitPoint } from "../../shared/routing/split";

const T0 = Date.UTC(2026, 0, 15, 12);
const N = 100_000;

/** mulberry32: a tiny seeded PRNG, so the exploration figures are the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const figures = (succeeded: number, settled: number) => ({ succeeded, settled });
const health = (overall: { succeeded: number; settled: number }, byKey: ChannelHealth["byKey"] = {}, circuit: Circuit = CLOSED_CIRCUIT): ChannelHealth => ({ circuit, overall, byKey });
const score = (channel: ChannelName, value: number): Score => ({ channel, score: value, sample: 100, basis: "channel" });

describe("a payment's stats key", () => {
  it("is its payment_method and currency, * for no method", () => {
    expect(statsKey("pm_card_visa", "EUR")).toBe("pm_card_visa|EUR");
    expect(statsKey(null, "USD")).toBe("*|USD");
  });
});

describe("a channel's score", () => {
  const visaEur = { paymentMethod: "pm_card_visa", currency: "EUR" };
  it.each([
    // [the case, channel health, payment, expected]
    ["its (method, currency) bucket with enough sample", health(figures(45, 60), { "pm_card_visa|EUR": figures(18, 20) }), visaEur, [0.9, 20, "method_currency"]],
    ["the channel overall when the bucket is one short", health(figures(45, 60), { "pm_card_visa|EUR": figures(19, 19) }), visaEur, [0.75, 60, "channel"]],
    ["the channel overall when there is no bucket", health(figures(45, 60)), visaEur, [0.75, 60, "channel"]],
    ["the channel overall for another currency's payment", health(figures(45, 60), { "pm_card_visa|EUR": figures(18, 20) }), { ...visaEur, currency: "USD" }, [0.75, 60, "channel"]],
    ["the * bucket for a payment with no method", health(figures(45, 60), { "*|EUR": figures(5, 25) }), { paymentMethod: null, currency: "EUR" }, [0.2, 25, "method_currency"]],
    ["the default when neither has enough sample", health(figures(19, 19), { "pm_card_visa|EUR": figures(19, 19) }), visaEur, [DEFAULT_SCORE, 0, "default"]],
    ["the default for a channel never seen", undefined, visaEur, [DEFAULT_SCORE, 0, "default"]],
  ] as Array<[string, ChannelHealth | undefined, { paymentMethod: string | null; currency: string }, [number, number, Score["basis"]]]>)(
    "is %s",
    (_, channelHealth, facts, [value, sample, basis]) => {
      expect(scoreOf(channelHealth, "stripe", facts, DYNAMIC_MIN_SAMPLE, DEFAULT_SCORE)).toEqual({ channel: "stripe", score: value, sample, basis });
    },
  );

  it("trusts a figure from exactly minSample settled attempts", () => {
    expect(scoreOf(health(figures(0, 5)), "paypal", visaEur, 5, 0.5)).toMatchObject({ score: 0, basis: "channel" });
    expect(scoreOf(health(figures(0, 4)), "paypal", visaEur, 5, 0.5)).toMatchObject({ score: 0.5, basis: "default" });
  });
});

describe("ranking by success rate", () => {
  const noExploration = [0.999, 0] as const;

  it("puts the best score first", () => {
    const scores = [score("sandbox", 0.5), score("stripe", 0.9), score("paypal", 0.7)];
    expect(rankBySuccessRate(["sandbox", "stripe", "paypal"], scores, 0, noExploration)).toEqual({ order: ["stripe", "paypal", "sandbox"], explored: null });
  });

  it.each([
    [["sandbox", "stripe", "paypal", "btcpay"]],
    [["btcpay", "paypal", "stripe", "sandbox"]],
    [["stripe", "btcpay", "sandbox", "paypal"]],
  ] as Array<[ChannelName[]]>)("keeps the configuration's order %j among equal scores", (candidates) => {
    const scores = candidates.map((c) => score(c, 0.5));
    expect(rankBySuccessRate(candidates, scores, 0, noExploration).order).toEqual(candidates);
  });

  it("keeps the configuration's order within each tie, below the better scores", () => {
    const scores = [score("sandbox", 0.6), score("stripe", 0.8), score("paypal", 0.6), score("btcpay", 0.8)];
    expect(rankBySuccessRate(["sandbox", "stripe", "paypal", "btcpay"], scores, 0, noExploration).order).toEqual(["stripe", "btcpay", "sandbox", "paypal"]);
  });

  it("puts a candidate without a score last", () => {
    expect(rankBySuccessRate(["sandbox", "stripe"], [score("stripe", 0.1)], 0, noExploration).order).toEqual(["stripe", "sandbox"]);
  });

  it.each([
    // [draws, explored, order]
    [[0.049, 0], "paypal", ["paypal", "stripe", "sandbox"]],
    [[0.049, 0.499], "paypal", ["paypal", "stripe", "sandbox"]],
    [[0.049, 0.5], "sandbox", ["sandbox", "stripe", "paypal"]],
    [[0, 0.999_999], "sandbox", ["sandbox", "stripe", "paypal"]],
    [[0.05, 0], null, ["stripe", "paypal", "sandbox"]],
  ] as Array<[[number, number], ChannelName | null, ChannelName[]]>)("at 5%% with draws %j explores %s: %j", (draws, explored, order) => {
    const scores = [score("sandbox", 0.5), score("stripe", 0.9), score("paypal", 0.7)];
    expect(rankBySuccessRate(["sandbox", "stripe", "paypal"], scores, 5, draws)).toEqual({ order, explored });
  });

  it("never explores with one candidate", () => {
    expect(rankBySuccessRate(["stripe"], [score("stripe", 0.9)], 100, [0, 0])).toEqual({ order: ["stripe"], explored: null });
  });

  /** Over N payments drawn from a seeded random: the share (percent) each channel went first. */
  function firstShares(explorationPercent: number, seed: number): Record<string, number> {
    const random = mulberry32(seed);
    const candidates: ChannelName[] = ["sandbox", "stripe", "paypal"];
    const scores = [score("sandbox", 0.6), score("stripe", 0.95), score("paypal", 0.8)];
    const counts: Record<string, number> = { sandbox: 0, stripe: 0, paypal: 0 };
    for (let i = 0; i < N; i++) counts[rankBySuccessRate(candidates, scores, explorationPercent, [random(), random()]).order[0]!]!++;
    return Object.fromEntries(Object.entries(counts).map(([channel, count]) => [channel, (count / N) * 100]));
  }

  it.each([1, 2, 3])("at 5%% exploration sends the leader first 95%% ±0.5 points of 100,000 payments (seed %s), the rest evenly", (seed) => {
    const shares = firstShares(5, seed);
    expect(Math.abs(shares.stripe! - 95), `leader ${shares.stripe}%`).toBeLessThan(0.5);
    expect(Math.abs(shares.paypal! - 2.5), `paypal ${shares.paypal}%`).toBeLessThan(0.5);
    expect(Math.abs(shares.sandbox! - 2.5), `sandbox ${shares.sandbox}%`).toBeLessThan(0.5);
  });

  it("at 0% never explores, and at 100% always does", () => {
    expect(firstShares(0, 7)).toEqual({ sandbox: 0, stripe: 100, paypal: 0 });
    expect(firstShares(100, 7).stripe).toBe(0);
  });
});

describe("elimination", () => {
  const params = CIRCUIT_DEFAULTS;
  const now = T0 + 3_600_000;
  const failing = (at: number) => Array.from({ length: params.consecutiveOutages }).reduce<Circuit>((c, _, i) => recordOutcome(c, "outage", figures(0, i + 1), at, params), CLOSED_CIRCUIT);
  const openSince = (at: number) => health(figures(0, 5), {}, failing(at));
  const halfOpen = health(figures(0, 5), {}, circuitAt(failing(now - params.cooldownMs), now, params));
  const snapshot = (channels: HealthSnapshot["channels"]): HealthSnapshot => ({ at: now, channels });

  it("drops a channel whose circuit is open, saying until when, and keeps the rest in order", () => {
    const openedAt = now - 10_000;
    const result = eliminate(["stripe", "sandbox", "paypal"], snapshot({ stripe: openSince(openedAt), sandbox: health(figures(20, 20)) }), now, params, 0);
    expect(result).toEqual({
      kept: ["sandbox", "paypal"],
      skipped: [{ channel: "stripe", reason: `circuit open until ${new Date(openedAt + params.cooldownMs).toISOString()}` }],
      allOpen: false,
    });
  });

  it("keeps a channel whose cool-down has passed when the payment is a probe, and drops it when it is not", () => {
    const probe = (params.probePercent / 100) * 0.99;
    const notProbe = params.probePercent / 100;
    expect(eliminate(["stripe", "sandbox"], snapshot({ stripe: halfOpen }), now, params, probe)).toEqual({ kept: ["stripe", "sandbox"], skipped: [], allOpen: false });
    expect(eliminate(["stripe", "sandbox"], snapshot({ stripe: halfOpen }), now, params, notProbe)).toEqual({
      kept: ["sandbox"],
      skipped: [{ channel: "stripe", reason: "circuit half-open: not a probe" }],
      allOpen: false,
    });
  });

  it("keeps every candidate, in order, when every circuit would drop the payment", () => {
    const all = snapshot({ stripe: openSince(now - 1000), sandbox: halfOpen, paypal: openSince(now - 2000) });
    expect(eliminate(["paypal", "stripe", "sandbox"], all, now, params, 0.9)).toEqual({ kept: ["paypal", "stripe", "sandbox"], skipped: [], allOpen: true });
  });

  it("treats a channel without health as closed", () => {
    expect(eliminate(["btcpay"], snapshot({}), now, params, 0.9)).toEqual({ kept: ["btcpay"], skipped: [], allOpen: false });
  });

  it("has nothing to keep or drop with no candidates", () => {
    expect(eliminate([], snapshot({ stripe: openSince(now) }), now, params, 0)).toEqual({ kept: [], skipped: [], allOpen: false });
  });
});

describe("a payment's draws", () => {
  const paymentNos = Promise.all(Array.from({ length: N }, (_, i) => paymentNoFor("mch_dynamic_test", false, `ORD-${i}`)));

  it("are the same on every create of one payment, and differ between payments", async () => {
    const [a, b] = (await paymentNos).slice(0, 2) as [string, string];
    expect(await drawsFor(a)).toEqual(await drawsFor(a));
    expect(await drawsFor(a)).not.toEqual(await drawsFor(b));
  });

  it("spread evenly over [0, 1): each of the three lands in each tenth 10% ±1 point of 100,000 payments", async () => {
    const deciles = [0, 1, 2].map(() => new Array<number>(10).fill(0));
    const outside: number[] = [];
    for (const paymentNo of await paymentNos) {
      (await drawsFor(paymentNo)).forEach((draw, i) => {
        if (draw >= 0 && draw < 1) deciles[i]![Math.floor(draw * 10)]!++;
        else outside.push(draw);
      });
    }
    expect(outside).toEqual([]);
    deciles.forEach((counts, i) =>
      counts.forEach((count, decile) => expect(Math.abs((count / N) * 100 - 10), `draw ${i}, decile ${decile}: ${count}`).toBeLessThan(1)),
    );
  }, 60_000);

  it("do not follow the split's leg: exploration is as likely on either half of a 50/50 split", async () => {
    let both = 0;
    for (const paymentNo of (await paymentNos).slice(0, 20_000)) {
      if ((await splitPoint(paymentNo)) < 0.5 && (await drawsFor(paymentNo))[0] < 0.5) both++;
    }
    expect(Math.abs((both / 20_000) * 100 - 25)).toBeLessThan(1);
  }, 60_000);
});
