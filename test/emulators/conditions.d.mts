/** How new payment creates on an account fail (POST /_emulator/conditions); `up` clears it. */
export type ConditionMode = "up" | "down" | "decline_retriable" | "timeout" | "timeout_after_charge";

/** A condition as set: `share` of new creates (0 to 1, drawn with Math.random) are affected. */
export interface Condition {
  mode: ConditionMode;
  share: number;
}

export const MODES: readonly ConditionMode[];
export function readCondition(body: { mode?: unknown; share?: unknown }): Condition | { field: "mode" | "share"; message: string };
export function conditionsBy<F extends string>(
  field: F,
): {
  set(account: string, condition: Condition): Condition & Record<F, string>;
  list(): Array<Condition & Record<F, string>>;
  draw(account: string): ConditionMode | null;
};
