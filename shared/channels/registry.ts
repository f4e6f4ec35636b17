// Which adapter serves a channel, with whose credentials. A Stripe payment runs on the merchant's
// own Stripe account when it has configured one for the mode, else on the platform's; the
// payment records which ("account": the merchant id, or null for the platform) and every later
// call and webhook for it must come through that same account.
import { ChannelError, CHANNELS, type ChannelAdapter, type ChannelName, type ParsedEvent } from "./adapter";
import { merchantStripeConfig } from "./channel-configs";
import { SandboxAdapter, parseSandboxWebhook } from "./sandbox/adapter";
import { StripeAdapter } from "./stripe/adapter";
import { parseStripeWebhook } from "./stripe/webhook";
import { stripeConfig, stripeServes, type StripeConfig } from "./stripe/config";

export function isChannel(name: string): name is ChannelName {
  return (CHANNELS as readonly string[]).includes(name);
}

export interface ChannelRoute {
  channel: ChannelName;
  /** The merchant whose own account serves the payment; null for the platform's account. */
  account: string | null;
  adapter: ChannelAdapter;
}

async function stripeRoute(env: Env, merchantId: string, livemode: boolean): Promise<ChannelRoute | null> {
  const own = await merchantStripeConfig(env, merchantId, livemode);
  if (own && stripeServes(own, livemode)) return { channel: "stripe", account: merchantId, adapter: new StripeAdapter(own) };
  const platform = stripeConfig(env);
  if (platform && stripeServes(platform, livemode)) return { channel: "stripe", account: null, adapter: new StripeAdapter(platform) };
  return null;
}

/** How `channel` would take a payment for this merchant and mode, or null if it cannot. */
export async function routeFor(channel: ChannelName, env: Env, merchantId: string, livemode: boolean): Promise<ChannelRoute | null> {
  switch (channel) {
    case "sandbox":
      // The sandbox moves no money: test mode only.
      return !livemode && env.SANDBOX_WEBHOOK_SECRET ? { channel, account: null, adapter: new SandboxAdapter(env) } : null;
    case "stripe":
      return stripeRoute(env, merchantId, livemode);
  }
}

/** The first channel that serves the mode, when the merchant names none. */
export async function defaultRoute(env: Env, merchantId: string, livemode: boolean): Promise<ChannelRoute | null> {
  for (const channel of livemode ? (["stripe"] as const) : (["sandbox", "stripe"] as const)) {
    const route = await routeFor(channel, env, merchantId, livemode);
    if (route) return route;
  }
  return null;
}

const notConfigured = (what: string) => new ChannelError("channel_not_configured", `${what} is not configured.`, 400);

/** The adapter for an existing payment or webhook: the account it was made on, nothing else. */
export async function adapterFor(channel: ChannelName, env: Env, account: string | null, livemode: boolean): Promise<ChannelAdapter> {
  if (channel === "sandbox") return new SandboxAdapter(env);
  const config = account ? await merchantStripeConfig(env, account, livemode) : stripeConfig(env);
  if (!config) throw notConfigured(account ? `Stripe for merchant ${account}` : "The platform's Stripe account");
  return new StripeAdapter(config);
}

/** The adapters whose webhook secret may have signed a webhook for `account` (either mode). */
export async function webhookVerifiers(channel: ChannelName, env: Env, account: string | null): Promise<ChannelAdapter[]> {
  if (channel === "sandbox") return account ? [] : [new SandboxAdapter(env)];
  const configs: Array<StripeConfig | null> = account
    ? await Promise.all([merchantStripeConfig(env, account, false), merchantStripeConfig(env, account, true)])
    : [stripeConfig(env)];
  return configs.filter((c): c is StripeConfig => c !== null).map((c) => new StripeAdapter(c));
}

/** Reads a stored webhook body of `channel` (verified when it was received) as its event. */
export function parseChannelWebhook(channel: ChannelName, rawBody: string): ParsedEvent {
  return channel === "sandbox" ? parseSandboxWebhook(rawBody) : parseStripeWebhook(rawBody);
}
