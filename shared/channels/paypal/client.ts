// PayPal's REST API over fetch: its server SDK runs on axios, which Workers cannot. Calls carry
// an OAuth2 token (client credentials) kept per account in isolate memory until a minute before
// it expires; calls that find none share one token request, and a call answered 401 (the token
// was revoked or expired early) drops it and is made once more with a fresh one. A call PayPal
// may not have seen (network error, 5xx) is repeated only when that is safe: a GET, or a POST
// whose PayPal-Request-Id makes PayPal answer a repeat with the first answer.
import type { z } from "zod";
import { sha256Hex } from "../../crypto";
import { answerThrough, sendToChannel, type ChannelAnswer } from "../http";
import type { PayPalConfig } from "./config";
import { TokenWire, channelErrorOf } from "./transformers";

/** A token is renewed this long before PayPal says it expires, so none expires in flight. */
const TOKEN_MARGIN_MS = 60_000;
/** Accounts whose tokens are kept; past it the oldest is dropped (it is fetched again if needed). */
const TOKEN_CACHE_LIMIT = 256;

export interface PayPalToken {
  accessToken: string;
  /** The REST app the credentials belong to ("APP-…"). */
  appId: string | null;
  expiresAt: number;
}

/** Per account: its token, or the request for one under way (which concurrent calls share). */
const tokens = new Map<string, PayPalToken | Promise<PayPalToken>>();

const answerOf = <S extends z.ZodType>(schema: S, body: unknown, request: string): z.infer<S> => answerThrough("PayPal", schema, body, request);

export class PayPalClient {
  /** The token cache's key: the account, never its secret in the clear. */
  private readonly account: Promise<string>;

  constructor(private readonly config: PayPalConfig) {
    this.account = sha256Hex(config.clientSecret).then((secret) => `${config.apiBase}|${config.clientId}|${secret}`);
  }

  get<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S>> {
    return this.call("GET", path, schema);
  }

  /** `requestId` (PayPal-Request-Id) makes the call idempotent at PayPal, and so repeatable. */
  post<S extends z.ZodType>(path: string, body: unknown, schema: S, requestId?: string): Promise<z.infer<S>> {
    return this.call("POST", path, schema, body, requestId);
  }

  /** The account's token: the cached one while it has a minute left, else a new one. */
  async accessToken(): Promise<PayPalToken> {
    const account = await this.account;
    const cached = tokens.get(account);
    if (cached instanceof Promise) return cached;
    if (cached && Date.now() < cached.expiresAt - TOKEN_MARGIN_MS) return cached;
    const pending = this.requestToken().then(
      (token) => {
        tokens.set(account, token);
        return token;
      },
      (error: unknown) => {
        if (tokens.get(account) === pending) tokens.delete(account);
        throw error;
      },
    );
    if (!cached && tokens.size >= TOKEN_CACHE_LIMIT) tokens.delete(tokens.keys().next().value!);
    tokens.set(account, pending);
    return pending;
  }

  /** Drops `token` unless another call has already replaced it. */
  private async forget(token: PayPalToken): Promise<void> {
    const account = await this.account;
    if (tokens.get(account) === token) tokens.delete(account);
  }

  private async requestToken(): Promise<PayPalToken> {
    const request = "POST /v1/oauth2/token";
    const headers = {
      Authorization: `Basic ${btoa(`${this.config.clientId}:${this.config.clientSecret}`)}`,
      "Content-Type": "application/x-www-form-urlencoded",
      Accept: "application/json",
    };
    // asking for a token changes nothing at PayPal: always repeatable
    const answer = await this.send("POST", "/v1/oauth2/token", headers, "grant_type=client_credentials", true);
    if (answer.status !== 200) throw channelErrorOf(answer.status, answer.body, request);
    const token = answerOf(TokenWire, answer.body, request);
    return { accessToken: token.access_token, appId: token.app_id ?? null, expiresAt: Date.now() + token.expires_in * 1000 };
  }

  private async call<S extends z.ZodType>(method: "GET" | "POST", path: string, schema: S, body?: unknown, requestId?: string) {
    const request = `${method} ${path}`;
    const repeatable = method === "GET" || requestId !== undefined;
    const payload = method === "POST" ? JSON.stringify(body ?? {}) : undefined;
    const headersFor = (token: PayPalToken) => ({
      Authorization: `Bearer ${token.accessToken}`,
      Accept: "application/json",
      ...(method === "POST" && { "Content-Type": "application/json", Prefer: "return=representation" }),
      ...(requestId !== undefined && { "PayPal-Request-Id": requestId }),
    });
    let token = await this.accessToken();
    let answer = await this.send(method, path, headersFor(token), payload, repeatable);
    if (answer.status === 401) {
      // PayPal did nothing with a refused token, so even a POST may be made again
      await this.forget(token);
      token = await this.accessToken();
      answer = await this.send(method, path, headersFor(token), payload, repeatable);
    }
    if (answer.status < 200 || answer.status > 299) throw channelErrorOf(answer.status, answer.body, request);
    return answerOf(schema, answer.body, request);
  }

  /** One request, with retries of network errors and 5xx when `repeatable`. */
  private send(method: string, path: string, headers: Record<string, string>, body: string | undefined, repeatable: boolean): Promise<ChannelAnswer> {
    return sendToChannel("PayPal", `${this.config.apiBase}${path}`, { method, headers, body }, repeatable);
  }
}
