// The channels, as a list of definitions, and which adapter serves a payment with whose
// credentials. A payment runs on the merchant's own account at its channel when the merchant has
// configured one for the mode, else on the platform's; the payment records which ("account": the
// merchant id, or null for the platform) and every later call and webhook for it must come
// through that same account.
import { ChannelError, type ChannelAdapter, type ParsedEvent } from "./adapter";
import { merchantCredentials } from "./channel-configs";
import type { ChannelDefinition } from "./definition";
import { measured } from "./measured-adapter";
import { btcpayChannel } from "./btcpay/definition";
import { paypalChannel } from "./paypal/definition";
import { sandboxChannel } from "./sandbox/definition";
import { stripeChannel } from "./stripe/definition";

/** Every channel, in the order a payment that names none tries them. A new channel: its folder and one line here. */
const DEFINITIONS = [sandboxChannel, stripeChannel, paypalChannel, btcpayChannel] as const;

export type ChannelName = (typeof DEFINITIONS)[number]["name"];
// each definition types its own credentials; past this point they are opaque
export type AnyChannelDefinition = ChannelDefinition<ChannelName, any>;

export const CHANNEL_DEFINITIONS: readonly AnyChannelDefinition[] = DEFINITIONS;
export const CHANNELS = DEFINITIONS.map((d) => d.name) as [ChannelName, ...ChannelName[]];

export const definitionOf = (channel: ChannelName): AnyChannelDefinition => CHANNEL_DEFINITIONS.find((d) => d.name === channel)!;

/** The channel's adapter for these credentials, its calls measured (latency and outcome): the only way adapters are made. */
export const makeAdapter = (definition: AnyChannelDefinition, env: Env, credentials: unknown, livemode: boolean): ChannelAdapter =>
  measured(definition.adapter(env, credentials, livemode), definition.name, env);

export interface ChannelRoute {
  channel: ChannelName;
  /** The merchant whose own account serves the payment; null for the platform's account. */
  account: string | null;
  definition: AnyChannelDefinition;
  adapter: ChannelAdapter;
}

/** How `channel` would take a payment for this merchant and mode, or null if it cannot. */
export async function routeFor(channel: ChannelName, env: Env, merchantId: string, livemode: boolean): Promise<ChannelRoute | null> {
  const definition = definitionOf(channel);
  if (!definition.livemodes.includes(livemode)) return null;
  const own = definition.merchantCredentials ? await merchantCredentials(env, definition, merchantId, livemode) : null;
  const credentials = own ?? definition.platformCredentials(env, livemode);
  if (credentials === null) return null;
  return { channel, account: own ? merchantId : null, definition, adapter: makeAdapter(definition, env, credentials, livemode) };
}

/** The first default channel that serves the mode, when the merchant names none. */
export async function defaultRoute(env: Env, merchantId: string, livemode: boolean): Promise<ChannelRoute | null> {
  for (const definition of CHANNEL_DEFINITIONS.filter((d) => d.byDefault)) {
    const route = await routeFor(definition.name, env, merchantId, livemode);
    if (route) return route;
  }
  return null;
}

/** The credentials of one account at a channel: a merchant's own, or the platform's (account null). */
function credentialsOf(definition: AnyChannelDefinition, env: Env, account: string | null, livemode: boolean) {
  if (account === null) return Promise.resolve(definition.platformCredentials(env, livemode));
  return definition.merchantCredentials ? merchantCredentials(env, definition, account, livemode) : Promise.resolve(null);
}

/** The adapter for an existing payment or webhook: the account it was made on, nothing else. */
export async function adapterFor(channel: ChannelName, env: Env, account: string | null, livemode: boolean): Promise<ChannelAdapter> {
  const definition = definitionOf(channel);
  const credentials = await credentialsOf(definition, env, account, livemode);
  if (credentials === null) {
    const whose = account ? `for merchant ${account}` : "on the platform's account";
    throw new ChannelError("channel_not_configured", `Channel ${channel} is not configured ${whose} in ${livemode ? "live" : "test"} mode.`, 400);
  }
  return makeAdapter(definition, env, credentials, livemode);
}

/** The adapters whose webhook secret may have signed a webhook for `account` (either mode). */
export async function webhookVerifiers(channel: ChannelName, env: Env, account: string | null): Promise<ChannelAdapter[]> {
  const definition = definitionOf(channel);
  const found = await Promise.all(
    definition.livemodes.map(async (livemode) => ({ livemode, credentials: await credentialsOf(definition, env, account, livemode) })),
  );
  return found.filter((f) => f.credentials !== null).map((f) => makeAdapter(definition, env, f.credentials, f.livemode));
}

/** Reads a stored webhook body of `channel` (verified when it was received) as its event. */
export function parseChannelWebhook(channel: ChannelName, rawBody: string): ParsedEvent {
  return definitionOf(channel).parseWebhook(rawBody);
}
