// A circuit breaker per channel, so payments stop going to a channel that is down. Pure, with the
// clock passed in: whoever keeps the circuit (the merchant's health object) records outcomes into
// it, and the create path asks whether it admits a payment. Only the channel's own failures count:
// a decline is the buyer's money refused, and never opens a circuit.

export type CircuitStatus = "closed" | "open" | "half_open";

/**
 * The allowed moves, as data; the functions below make no other (test/workers/routing-circuit.test.ts).
 * - closed → open: `consecutiveOutages` outages in a row, or an outage that leaves the window's
 *   success rate under `minSuccessRate` over at least `minSample` settled attempts;
 * - open → half_open: `cooldownMs` after it opened (read off the clock, nothing is written);
 * - half_open → open: a probe's outage (the cool-down starts again);
 * - half_open → closed: `probesToClose` probes in a row that were not outages.
 */
export const CIRCUIT_TRANSITIONS: Readonly<Record<CircuitStatus, readonly CircuitStatus[]>> = {
  closed: ["open"],
  open: ["half_open"],
  half_open: ["open", "closed"],
};

export const canCircuitTransition = (from: CircuitStatus, to: CircuitStatus) => CIRCUIT_TRANSITIONS[from].includes(to);

export interface CircuitParams {
  /** Outages in a row that open it. */
  consecutiveOutages: number;
  /** It opens when the window's success rate is below this (0–1) ... */
  minSuccessRate: number;
  /** ... over at least this many settled attempts. */
  minSample: number;
  /** How long it stays open before half-opening. */
  cooldownMs: number;
  /** Share of payments (0–100) admitted while half-open, as probes. */
  probePercent: number;
  /** Probes in a row that were not outages, to close it. */
  probesToClose: number;
}

export const CIRCUIT_DEFAULTS: CircuitParams = {
  consecutiveOutages: 5,
  minSuccessRate: 0.2,
  minSample: 20,
  cooldownMs: 30_000,
  probePercent: 20,
  probesToClose: 2,
};

export interface Circuit {
  status: CircuitStatus;
  /** Outages in a row, as last recorded. */
  consecutiveOutages: number;
  /** When it last opened (ms since the epoch); null while closed. */
  openedAt: number | null;
  /** Probes in a row that were not outages, while half-open. */
  probeSuccesses: number;
}

export const CLOSED_CIRCUIT: Circuit = { status: "closed", consecutiveOutages: 0, openedAt: null, probeSuccesses: 0 };

/**
 * An attempt's outcome as the circuit hears it: answered = the channel answered the create (no
 * verdict yet), succeeded, declined (the buyer's money refused: not the channel's fault), outage
 * (unreachable, 5xx, 429, timeout).
 */
export type OutcomeKind = "answered" | "succeeded" | "declined" | "outage";

/** When an open circuit half-opens: its cool-down after it opened. */
export const halfOpensAt = (circuit: Circuit, params: CircuitParams) => (circuit.openedAt ?? 0) + params.cooldownMs;

/** The circuit as it stands at `now`: an open one past its cool-down is half-open. */
export function circuitAt(circuit: Circuit, now: number, params: CircuitParams): Circuit {
  if (circuit.status !== "open" || now < halfOpensAt(circuit, params)) return circuit;
  return { ...circuit, status: "half_open", probeSuccesses: 0 };
}

const opened = (now: number, consecutiveOutages: number): Circuit => ({ status: "open", consecutiveOutages, openedAt: now, probeSuccesses: 0 });

/**
 * The circuit after one outcome. `window` is the channel's figures over the sliding window
 * INCLUDING this outcome (settled = succeeded + declined + outages). Only an outage opens it, so a
 * run of declines never does. While half-open only the probes count: the window still holds the
 * outages that opened it. While open (before the cool-down) an outcome, such as a late answer from
 * before it opened, changes nothing.
 */
export function recordOutcome(
  circuit: Circuit,
  kind: OutcomeKind,
  window: { succeeded: number; settled: number },
  now: number,
  params: CircuitParams,
): Circuit {
  const current = circuitAt(circuit, now, params);
  const outage = kind === "outage";
  const inARow = outage ? current.consecutiveOutages + 1 : 0;
  switch (current.status) {
    case "open":
      return circuit;
    case "half_open": {
      if (outage) return opened(now, inARow);
      const probeSuccesses = current.probeSuccesses + 1;
      return probeSuccesses >= params.probesToClose ? CLOSED_CIRCUIT : { ...current, consecutiveOutages: 0, probeSuccesses };
    }
    case "closed": {
      const failing = window.settled >= params.minSample && window.succeeded / window.settled < params.minSuccessRate;
      return outage && (inARow >= params.consecutiveOutages || failing) ? opened(now, inARow) : { ...current, consecutiveOutages: inARow };
    }
  }
}

/** Whether a payment may go to the channel: closed yes, open no, half-open only for the probe share. `draw` is a number in [0, 1) fixed per payment. */
export function admits(circuit: Circuit, now: number, params: CircuitParams, draw: number): boolean {
  const { status } = circuitAt(circuit, now, params);
  return status === "closed" || (status === "half_open" && draw * 100 < params.probePercent);
}
