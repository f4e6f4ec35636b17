// What a channel is to the platform: one definition per channel folder, listed in ./registry.ts.
// Everything channel-specific (its modes, currencies, methods, credentials, adapter and webhook
// reader) hangs off this object, so the rest of the code names no channel.
import type { z } from "zod";
import type { ChannelAdapter, ParsedEvent } from "./adapter";

/** A field of a merchant's credentials that is wrong for the mode it is being saved for. */
export interface CredentialProblem {
  param: string;
  message: string;
}

/**
 * The metadata of a credential field that is a secret: never answered back (describe() gives at most
 * a hint of it). The API reference shows it as writeOnly, and the dashboard asks for it in a
 * password input.
 */
export const SECRET_CREDENTIAL = { writeOnly: true } as const;

/** What a merchant brings to take payments on its own account at the channel. */
export interface MerchantCredentials<Credentials> {
  /** The body of PUT /api/v1/merchant/channels/:channel; stored sealed as parsed. */
  schema: z.ZodType<Credentials>;
  /** Credentials that cannot serve `livemode` (a Stripe test key saved for live mode). */
  modeProblem(credentials: Credentials, livemode: boolean): CredentialProblem | null;
  /** What may be shown back: public values and hints, never a secret. */
  describe(credentials: Credentials): Record<string, string | null>;
  /** The field a refusal of the credentials names. */
  refusedParam: string;
}

export interface ChannelDefinition<Name extends string = string, Credentials = unknown> {
  readonly name: Name;
  /** The modes it can serve at all (the sandbox moves no money: test only). */
  readonly livemodes: readonly boolean[];
  /** The currencies it takes; null: every currency the platform knows. */
  readonly currencies: readonly string[] | null;
  /** The payment_method values it accepts; null: any. */
  readonly paymentMethods: readonly string[] | null;
  /**
   * Whether a payment is confirmed by the create call itself (the sandbox), so a decline can come
   * back in its answer; a client-confirmed channel's create only makes the payment for the buyer.
   */
  readonly confirmsOnServer: boolean;
  /**
   * Failure codes (the channel's own) that say "try another channel": the processor or issuer was
   * unavailable, not that the buyer's money was refused. Every other decline is final.
   */
  readonly retriableFailures: ReadonlySet<string>;
  /** Taken, in registry order, when a payment names no channel. */
  readonly byDefault: boolean;
  /** The platform's own account for a mode (from Worker secrets), or null. */
  platformCredentials(env: Env, livemode: boolean): Credentials | null;
  /** Null when merchants cannot bring their own account. */
  readonly merchantCredentials: MerchantCredentials<Credentials> | null;
  adapter(env: Env, credentials: Credentials, livemode: boolean): ChannelAdapter;
  /** Upkeep the cron runs every few minutes (the sandbox re-arms its shards' stalled schedules). */
  maintain?(env: Env): Promise<void>;
  /** Reads a webhook body already verified (or stored after verification) as its event. */
  parseWebhook(rawBody: string): ParsedEvent;
}

/** Keeps a definition's literal name and its credentials type together. */
export const defineChannel = <Name extends string, Credentials>(definition: ChannelDefinition<Name, Credentials>) => definition;
