// Failure conditions set on an emulator's account (POST /_emulator/conditions), so that a test or a
// demo can make a channel fail while tests beside it, on other accounts, are not disturbed: the
// channel down (503, nothing made), timing out before it made anything or after it made the
// payment (the answer cut off either way: the client cannot tell which), or declining retriably. Each applies to a share of new payment creates, drawn with Math.random.
// The three emulators share this; each answers in its own error shape.

export const MODES = ["up", "down", "decline_retriable", "timeout", "timeout_after_charge"];

/** `{ mode, share }` from a helper's body (share 1 unless given), or `{ field, message }` it refuses. */
export function readCondition({ mode, share = 1 }) {
  if (!MODES.includes(mode)) return { field: "mode", message: `mode must be one of ${MODES.join(", ")}.` };
  if (typeof share !== "number" || !(share >= 0 && share <= 1)) return { field: "share", message: "share must be a number from 0 to 1." };
  return { mode, share };
}

/** The conditions of one emulator, by account; `field` names the account in what they list ("clientId"). */
export function conditionsBy(field) {
  const byAccount = new Map();
  const entry = (account, { mode, share }) => ({ [field]: account, mode, share });
  return {
    /** `up` removes the account's condition: up is every account's state until told otherwise. */
    set(account, condition) {
      if (condition.mode === "up") byAccount.delete(account);
      else byAccount.set(account, condition);
      return entry(account, condition);
    },
    list: () => [...byAccount].map(([account, condition]) => entry(account, condition)),
    /** The mode that befalls a new create of `account` now, or null (share 1: always; 0: never). */
    draw(account) {
      const condition = byAccount.get(account);
      return condition && Math.random() < condition.share ? condition.mode : null;
    },
  };
}
