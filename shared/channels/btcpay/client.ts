// BTCPay Server's Greenfield API over fetch, on the merchant's own server: JSON, an API key
// (`Authorization: token <key>`), ten seconds a call. BTCPay takes no idempotency key, so only a
// GET is repeated after a network error or a 5xx; a create that may have been made is found
// again by the adapter (by its metadata, or its name), never sent twice blind.
import type { z } from "zod";
import { answerThrough, sendToChannel } from "../http";
import type { BTCPayConfig } from "./config";
import { channelErrorOf } from "./transformers";

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
    const answer = await sendToChannel("BTCPay", `${this.config.serverUrl}${path}`, { method, headers, body }, method === "GET");
    if (answer.status < 200 || answer.status > 299) throw channelErrorOf(answer.status, answer.body, request);
    return answerThrough("BTCPay", schema, answer.body, request);
  }
}
