// Named hooks on the receiver emulator (test/emulators/receiver): an endpoint URL for a merchant's
// notifications that answers as told and keeps what it received.
import { TEST_RECEIVER_PORT } from "../constants";

export const RECEIVER = `http://127.0.0.1:${TEST_RECEIVER_PORT}`;

export interface Received {
  headers: Record<string, string>;
  body: string;
  status: number;
  at: number;
}

/** failNext answers `status` that many times; slowNext delays that many answers by delayMs. */
export type HookControl = { failNext?: number; status?: number; slowNext?: number; delayMs?: number };

let hookSeq = 0;

export async function newHook(control: HookControl = {}) {
  const name = `h${Date.now()}${++hookSeq}`;
  const set = (c: HookControl) => fetch(`${RECEIVER}/_control/${name}`, { method: "POST", body: JSON.stringify(c) });
  await set(control);
  return {
    url: `${RECEIVER}/hooks/${name}`,
    set,
    received: async () => (await fetch(`${RECEIVER}/_control/${name}`)).json<Received[]>(),
  };
}
