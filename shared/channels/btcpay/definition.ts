// The crypto channel through BTCPay Server, which each merchant runs itself: there is no platform
// account, only the merchant's own store (PUT /api/v1/merchant/channels/btcpay). The buyer pays
// the invoice on BTCPay's checkout page in whatever its store offers (BTC on-chain, Lightning).
import { targetUrlProblem } from "../../notifications/target-url";
import { defineChannel } from "../definition";
import { BTCPayAdapter } from "./adapter";
import { BTCPayCredentials, btcpayConfigOf } from "./config";
import { parseBTCPayWebhook } from "./transformers";

export const btcpayChannel = defineChannel({
  name: "btcpay",
  livemodes: [false, true],
  // BTCPay prices an invoice in any fiat currency its rate sources quote
  currencies: null,
  paymentMethods: ["crypto"],
  // the buyer pays on BTCPay's page: only a merchant that asks for it gets it
  confirmsOnServer: false,
  // the buyer pays an invoice or does not: nothing to try elsewhere
  retriableFailures: new Set<string>(),
  byDefault: false,
  platformCredentials: () => null,
  merchantCredentials: {
    schema: BTCPayCredentials,
    // the platform calls this server: in live mode it must be a public one (SSRF), as notification URLs
    modeProblem(credentials, livemode) {
      const problem = targetUrlProblem(credentials.server_url, livemode);
      return problem ? { param: "server_url", message: `server_url ${problem}.` } : null;
    },
    describe: (credentials) => ({
      server_url: credentials.server_url,
      store_id: credentials.store_id,
      api_key_hint: `…${credentials.api_key.slice(-4)}`,
      speed_policy: credentials.speed_policy,
      expiration_minutes: String(credentials.expiration_minutes),
    }),
    refusedParam: "api_key",
  },
  adapter: (_env, credentials) => new BTCPayAdapter(btcpayConfigOf(credentials)),
  parseWebhook: parseBTCPayWebhook,
});
