import { describe, expect, it } from "vitest";
import {
  CANCELLABLE,
  PAYMENT_STATUSES,
  canTransition,
  pathTo,
  type PaymentStatus,
} from "../../shared/payments/state-machine";

// The allowed transitions, written out independently of the implementation's table.
const ALLOWED = new Set([
  "pending>processing",
  "pending>requires_action",
  "pending>failed",
  "pending>cancelled",
  "requires_action>processing",
  "requires_action>failed",
  "requires_action>cancelled",
  "processing>succeeded",
  "processing>failed",
  "succeeded>partially_refunded",
  "succeeded>refunded",
  "partially_refunded>refunded",
]);

const pairs = PAYMENT_STATUSES.flatMap((from) => PAYMENT_STATUSES.map((to) => [from, to] as const));

describe("payment state machine", () => {
  it.each(pairs.filter(([f, t]) => ALLOWED.has(`${f}>${t}`)))("allows %s → %s", (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each(pairs.filter(([f, t]) => !ALLOWED.has(`${f}>${t}`)))("forbids %s → %s", (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it("lets a merchant cancel only pending and requires_action payments", () => {
    expect([...CANCELLABLE].sort()).toEqual(["pending", "requires_action"]);
  });

  it.each([
    ["pending", "succeeded", ["processing", "succeeded"]],
    ["requires_action", "succeeded", ["processing", "succeeded"]],
    ["pending", "failed", ["failed"]],
    ["processing", "succeeded", ["succeeded"]],
  ] as Array<[PaymentStatus, PaymentStatus, PaymentStatus[]]>)(
    "walks %s → %s through the implied steps",
    (from, to, path) => {
      expect(pathTo(from, to)).toEqual(path);
    },
  );

  it.each([
    ["succeeded", "processing"],
    ["failed", "succeeded"],
    ["cancelled", "processing"],
    ["refunded", "succeeded"],
    ["processing", "requires_action"],
  ] as Array<[PaymentStatus, PaymentStatus]>)("finds no way back from %s to %s", (from, to) => {
    expect(pathTo(from, to)).toBeNull();
  });
});
