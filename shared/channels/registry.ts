// Which adapter serves a channel, and which channels serve a mode.
import { ChannelError, CHANNELS, type ChannelAdapter, type ChannelName } from "./adapter";
import { SandboxAdapter } from "./sandbox/adapter";
import { StripeAdapter } from "./stripe/adapter";
import { stripeConfig, stripeServes } from "./stripe/config";

export function isChannel(name: string): name is ChannelName {
  return (CHANNELS as readonly string[]).includes(name);
}

/** Whether `channel` can take payments in this mode with the credentials configured. */
export function channelServes(channel: ChannelName, env: Env, livemode: boolean): boolean {
  switch (channel) {
    case "sandbox":
      // The sandbox moves no money: test mode only.
      return !livemode && Boolean(env.SANDBOX_WEBHOOK_SECRET);
    case "stripe": {
      const config = stripeConfig(env);
      return config !== null && stripeServes(config, livemode);
    }
  }
}

export function adapterFor(channel: ChannelName, env: Env): ChannelAdapter {
  switch (channel) {
    case "sandbox":
      return new SandboxAdapter(env);
    case "stripe": {
      const config = stripeConfig(env);
      if (!config) throw new ChannelError("channel_not_configured", "Stripe is not configured (STRIPE_API_KEY, STRIPE_WEBHOOK_SECRET).", 400);
      return new StripeAdapter(config);
    }
  }
}

/** The channel a payment goes to when the merchant names none: the first that serves the mode. */
export function defaultChannel(env: Env, livemode: boolean): ChannelName | null {
  const order: ChannelName[] = livemode ? ["stripe"] : ["sandbox", "stripe"];
  return order.find((channel) => channelServes(channel, env, livemode)) ?? null;
}
