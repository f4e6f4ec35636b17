// The circuit breaker (shared/routing/circuit.ts), on a controlled clock: when it opens, how long it
// stays open, how probes close or re-open it, and which payments it admits.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  admits,
  CIRCUIT_DEFAULTS,
  CIRCUIT_TRANSITIONS,
  canCircuitTransition,
  circuitAt,
  CLOSED_CIRCUIT,
  recordOutcome,
  type Circuit,
  type CircuitParams,
  type CircuitStatus,
  type OutcomeKind,
} from "../../shared/routing/circuit";

const T0 = Date.UTC(2026, 0, 15, 12);
const STATUSES: CircuitStatus[] = ["closed", "open", "half_open"];
const NOT_OUTAGES: OutcomeKind[] = ["answered", "succeeded", "declined"];

/**
 * Records outcomes one a second from `now`, the window holding every outcome so far (on top of
 * `window`): how the health object would feed the circuit.
 */
function play(
  kinds: OutcomeKind[],
  { circuit = CLOSED_CIRCUIT, now = T0, params = CIRCUIT_DEFAULTS, window = { succeeded: 0, settled: 0 } }: { circuit?: Circuit; now?: number; params?: CircuitParams; window?: { succeeded: number; settled: number } } = {},
): Circuit {
  const figures = { ...window };
  kinds.forEach((kind, i) => {
    if (kind === "succeeded") figures.succeeded++;
    if (kind !== "answered") figures.settled++;
    circuit = recordOutcome(circuit, kind, { ...figures }, now + i * 1000, params);
  });
  return circuit;
}

const outages = (n: number): OutcomeKind[] => new Array(n).fill("outage");

/** A circuit opened at `at` by outages in a row. */
const openAt = (at: number, params = CIRCUIT_DEFAULTS) => play(outages(params.consecutiveOutages), { now: at - (params.consecutiveOutages - 1) * 1000, params });

/** A circuit half-open at `now` (opened one cool-down before). */
const halfOpen = (now: number, params = CIRCUIT_DEFAULTS) => circuitAt(openAt(now - params.cooldownMs, params), now, params);

describe("the circuit's transition table", () => {
  // written out independently of the implementation's table
  const ALLOWED = new Set(["closed>open", "open>half_open", "half_open>open", "half_open>closed"]);
  const pairs = STATUSES.flatMap((from) => STATUSES.filter((to) => to !== from).map((to) => [from, to] as const));

  it.each(pairs)("%s → %s is allowed exactly when listed", (from, to) => {
    expect(canCircuitTransition(from, to)).toBe(ALLOWED.has(`${from}>${to}`));
  });

  it("holds every move the functions make, and they make every move it holds", () => {
    const seen = new Set<string>();
    const step = fc.record({
      kind: fc.constantFrom<OutcomeKind>("answered", "succeeded", "declined", "outage"),
      afterMs: fc.integer({ min: 0, max: 60_000 }),
      succeeded: fc.nat(40),
      failed: fc.nat(40),
    });
    const params = fc.record({
      consecutiveOutages: fc.integer({ min: 1, max: 6 }),
      minSuccessRate: fc.double({ min: 0, max: 1, noNaN: true }),
      minSample: fc.integer({ min: 1, max: 30 }),
      cooldownMs: fc.integer({ min: 1, max: 40_000 }),
      probePercent: fc.integer({ min: 0, max: 100 }),
      probesToClose: fc.integer({ min: 1, max: 4 }),
    });
    fc.assert(
      fc.property(params, fc.array(step, { maxLength: 60 }), (p, steps) => {
        let circuit = CLOSED_CIRCUIT;
        let now = T0;
        for (const { kind, afterMs, succeeded, failed } of steps) {
          now += afterMs;
          const current = circuitAt(circuit, now, p);
          const next = recordOutcome(circuit, kind, { succeeded, settled: succeeded + failed }, now, p);
          for (const [from, to] of [[circuit.status, current.status], [current.status, next.status]] as const) {
            if (from === to) continue;
            expect(canCircuitTransition(from, to), `${from} → ${to}`).toBe(true);
            seen.add(`${from}>${to}`);
          }
          expect(next.openedAt === null, "openedAt is null exactly while closed").toBe(next.status === "closed");
          circuit = next;
        }
      }),
      { numRuns: 500 },
    );
    expect([...seen].sort()).toEqual(STATUSES.flatMap((from) => CIRCUIT_TRANSITIONS[from].map((to) => `${from}>${to}`)).sort());
  });
});

describe("a closed circuit", () => {
  it.each([1, 3, 5])("with consecutiveOutages %s opens on that many outages in a row, not one fewer", (n) => {
    const params = { ...CIRCUIT_DEFAULTS, consecutiveOutages: n };
    expect(play(outages(n - 1), { params })).toMatchObject({ status: "closed", consecutiveOutages: n - 1 });
    expect(play(outages(n), { params })).toEqual({ status: "open", consecutiveOutages: n, openedAt: T0 + (n - 1) * 1000, probeSuccesses: 0 });
  });

  it("opens on the defaults' fifth outage in a row", () => {
    expect(play(outages(4)).status).toBe("closed");
    expect(play(outages(5)).status).toBe("open");
  });

  it.each(NOT_OUTAGES)("starts counting again after a %s between outages", (kind) => {
    const broken = play([...outages(4), kind, ...outages(4)]);
    expect(broken).toMatchObject({ status: "closed", consecutiveOutages: 4 });
    expect(recordOutcome(broken, "outage", { succeeded: 0, settled: 10 }, T0 + 60_000, CIRCUIT_DEFAULTS).status).toBe("open");
  });

  // consecutive outages out of reach, so only the success rate can open it
  const rateOnly = { ...CIRCUIT_DEFAULTS, consecutiveOutages: 1000 };
  it.each([
    // [window after this outcome, outcome, opens]
    [{ succeeded: 3, settled: 19 }, "outage", false], // 16% but under minSample
    [{ succeeded: 0, settled: 19 }, "outage", false],
    [{ succeeded: 3, settled: 20 }, "outage", true], // 15% over minSample
    [{ succeeded: 0, settled: 500 }, "outage", true],
    [{ succeeded: 4, settled: 20 }, "outage", false], // 20% is not under 20%
    [{ succeeded: 30, settled: 100 }, "outage", false],
    [{ succeeded: 0, settled: 20 }, "declined", false], // declines never open it
    [{ succeeded: 3, settled: 20 }, "succeeded", false], // nor a success,
    [{ succeeded: 3, settled: 20 }, "answered", false], // nor an answer
  ] as Array<[{ succeeded: number; settled: number }, OutcomeKind, boolean]>)("with %j after a %s: opens %s", (window, kind, opens) => {
    const after = recordOutcome(CLOSED_CIRCUIT, kind, window, T0, rateOnly);
    expect(after.status).toBe(opens ? "open" : "closed");
    expect(after.openedAt).toBe(opens ? T0 : null);
  });

  it("never opens on declines, however many and whatever the window", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<OutcomeKind>(...NOT_OUTAGES), { maxLength: 200 }), fc.nat(1000), (kinds, settled) => {
        return play(kinds, { window: { succeeded: 0, settled } }).status === "closed";
      }),
    );
  });

  it("admits every payment", () => {
    for (const draw of [0, 0.5, 0.999_999]) expect(admits(CLOSED_CIRCUIT, T0, CIRCUIT_DEFAULTS, draw)).toBe(true);
  });
});

describe("an open circuit", () => {
  const opened = openAt(T0);
  const { cooldownMs } = CIRCUIT_DEFAULTS;

  it.each([
    [0, "open"],
    [1, "open"],
    [cooldownMs - 1, "open"],
    [cooldownMs, "half_open"],
    [cooldownMs * 10, "half_open"],
  ] as Array<[number, CircuitStatus]>)("%s ms after it opened is %s", (elapsed, status) => {
    expect(circuitAt(opened, T0 + elapsed, CIRCUIT_DEFAULTS).status).toBe(status);
  });

  it("half-opens by the clock alone: nothing is written", () => {
    circuitAt(opened, T0 + cooldownMs, CIRCUIT_DEFAULTS);
    expect(opened).toMatchObject({ status: "open", openedAt: T0 });
  });

  it("admits no payment during the cool-down, whatever the draw", () => {
    for (const draw of [0, 0.1, 0.999_999]) expect(admits(opened, T0 + cooldownMs - 1, CIRCUIT_DEFAULTS, draw)).toBe(false);
  });

  it.each(["answered", "succeeded", "declined", "outage"] as OutcomeKind[])("does not change on a %s during the cool-down (a late answer)", (kind) => {
    expect(recordOutcome(opened, kind, { succeeded: 50, settled: 50 }, T0 + cooldownMs - 1, CIRCUIT_DEFAULTS)).toEqual(opened);
  });
});

describe("a half-open circuit", () => {
  const now = T0 + 3_600_000;
  // the window still holds the outages that opened it: it must not re-open a circuit whose probes pass
  const badWindow = { succeeded: 0, settled: 400 };

  it.each([1, 2, 3])("closes after %s probes in a row that were not outages", (probesToClose) => {
    const params = { ...CIRCUIT_DEFAULTS, probesToClose };
    const probes = (n: number) => Array.from({ length: n }, (_, i) => NOT_OUTAGES[i % NOT_OUTAGES.length]!);
    expect(play(probes(probesToClose - 1), { circuit: halfOpen(now, params), now, params, window: badWindow })).toMatchObject({
      status: "half_open",
      probeSuccesses: probesToClose - 1,
    });
    expect(play(probes(probesToClose), { circuit: halfOpen(now, params), now, params, window: badWindow })).toEqual(CLOSED_CIRCUIT);
  });

  it("half-opens and closes straight from a stored open circuit once the cool-down has passed", () => {
    const stored = openAt(T0);
    expect(play(["succeeded", "succeeded"], { circuit: stored, now: T0 + CIRCUIT_DEFAULTS.cooldownMs, window: badWindow })).toEqual(CLOSED_CIRCUIT);
  });

  it("re-opens on a probe's outage, its cool-down starting again", () => {
    const reopened = recordOutcome(halfOpen(now), "outage", { succeeded: 0, settled: 1 }, now, CIRCUIT_DEFAULTS);
    expect(reopened).toMatchObject({ status: "open", openedAt: now, probeSuccesses: 0 });
    expect(circuitAt(reopened, now + CIRCUIT_DEFAULTS.cooldownMs - 1, CIRCUIT_DEFAULTS).status).toBe("open");
    expect(circuitAt(reopened, now + CIRCUIT_DEFAULTS.cooldownMs, CIRCUIT_DEFAULTS).status).toBe("half_open");
  });

  it("re-opens on an outage after a passing probe, and the next half-open needs every probe again", () => {
    const params = { ...CIRCUIT_DEFAULTS, probesToClose: 2 };
    const reopened = play(["succeeded", "outage"], { circuit: halfOpen(now, params), now, params });
    expect(reopened).toMatchObject({ status: "open", openedAt: now + 1000 });
    const later = now + 1000 + params.cooldownMs;
    expect(play(["succeeded"], { circuit: reopened, now: later, params })).toMatchObject({ status: "half_open", probeSuccesses: 1 });
  });

  it.each([
    // [probePercent, draw, admitted]
    [20, 0, true],
    [20, 0.1, true],
    [20, 0.199_999, true],
    [20, 0.2, false],
    [20, 0.5, false],
    [20, 0.999_999, false],
    [0, 0, false],
    [100, 0.999_999, true],
  ])("with probePercent %s admits a payment drawing %s: %s", (probePercent, draw, admitted) => {
    const params = { ...CIRCUIT_DEFAULTS, probePercent };
    expect(admits(halfOpen(now, params), now, params, draw)).toBe(admitted);
  });
});
