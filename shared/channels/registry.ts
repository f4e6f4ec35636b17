// Which adapter serves a channel, and which channels a merchant can use in a mode.
import type { ChannelAdapter, ChannelName } from "./adapter";
import { CHANNELS } from "./adapter";
import { SandboxAdapter } from "./sandbox/adapter";

export function isChannel(name: string): name is ChannelName {
  return (CHANNELS as readonly string[]).includes(name);
}

export function adapterFor(channel: ChannelName, env: Env): ChannelAdapter {
  switch (channel) {
    case "sandbox":
      return new SandboxAdapter(env);
  }
}

/** The channel a payment goes to when the merchant names none. */
export function defaultChannel(livemode: boolean): ChannelName | null {
  // The sandbox moves no money, so it serves test mode only; live mode needs a real channel.
  return livemode ? null : "sandbox";
}
