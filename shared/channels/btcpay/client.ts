// BTCPay Server's Greenfield API over fetch, on the merchant's own server: JSON, an API key
// (`Authorization: token <key>`), ten seconds a call. BTCPay takes no idempotency key, so only a
// GET is repeated after a network error or a 5xx; a create that may have been made is found
// again by the adapter (by its metadata, or its name), never sent twice blind.
import type { z } from "zod";
import { ChannelError } from "../adapter";
import type { BTCPayConfig } from "./config";
import { channelErrorOf } from "./transformers";

const TIMEOUT_MS = 10_000;
/** Waits before the second and third attempts of a GET. */
const RETRY_DELAYS_MS = [100, 400];

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

export class BTCPayClient {
  constructor(private readonly config: BTCPayConfig) {}

  get<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S>> {
    return this.call("GET", path, schema);
  }

  post<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    return this.call("POST", path, schema, JSON.stringify(body));
  }

  private async call<S extends z.ZodType>(method: "GET" | "POST", path: string, schema: S, body?: string): Promise<z.infer<S>> {
    const request = `${method} ${path}`;
    const headers = {
      Authorization: `token ${this.config.apiKey}`,
      Accept: "application/json",
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    };
    for (let attempt = 0; ; attempt++) {
      // a body cut off mid-read is as unreachable as no answer
      const outcome = await fetch(`${this.config.serverUrl}${path}`, { method, headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) })
        .then(async (response) => ({ status: response.status, answer: await readBody(response) }))
        .catch((error: unknown) => ({ error }));
      const delay = RETRY_DELAYS_MS[attempt];
      if (method === "GET" && delay !== undefined && ("error" in outcome || outcome.status >= 500)) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        continue;
      }
      if ("error" in outcome) {
        throw new ChannelError("btcpay_unavailable", `BTCPay at ${this.config.serverUrl} could not be reached for ${request}: ${String(outcome.error)}.`, 502);
      }
      const { status, answer } = outcome;
      if (status < 200 || status > 299) throw channelErrorOf(status, answer, request);
      const parsed = schema.safeParse(answer);
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0]!;
      const field = issue.path.map(String).join(".") || "the body";
      throw new ChannelError("btcpay_unexpected_response", `BTCPay answered ${request} with a body the platform cannot read: ${field}: ${issue.message}.`, 502);
    }
  }
}
