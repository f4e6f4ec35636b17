// vitest globalSetup: the Stripe, PayPal and BTCPay emulators and a merchant's webhook receiver
// run in Node beside workerd for the whole test run.
import { TEST_BTCPAY, TEST_PAYPAL, TEST_RECEIVER_PORT, TEST_STRIPE } from "../constants.ts";
import { startBTCPayEmulator } from "./btcpay/server.mjs";
import { startPayPalEmulator } from "./paypal/server.mjs";
import { startReceiver } from "./receiver/server.mjs";
import { startStripeEmulator } from "./stripe/server.mjs";

export default async function setup() {
  const emulator = await startStripeEmulator({
    port: TEST_STRIPE.port,
    accounts: [
      { apiKey: TEST_STRIPE.apiKey, webhookSecret: TEST_STRIPE.webhookSecret },
      { apiKey: TEST_STRIPE.merchantApiKey, webhookSecret: TEST_STRIPE.merchantWebhookSecret },
    ],
  });
  const paypal = await startPayPalEmulator({
    port: TEST_PAYPAL.port,
    accounts: [
      { clientId: TEST_PAYPAL.clientId, clientSecret: TEST_PAYPAL.clientSecret, webhookId: TEST_PAYPAL.webhookId },
      { clientId: TEST_PAYPAL.merchantClientId, clientSecret: TEST_PAYPAL.merchantClientSecret, webhookId: TEST_PAYPAL.merchantWebhookId },
    ],
  });
  const btcpay = await startBTCPayEmulator({
    port: TEST_BTCPAY.port,
    stores: [{ storeId: TEST_BTCPAY.storeId, apiKey: TEST_BTCPAY.apiKey, webhookSecret: TEST_BTCPAY.webhookSecret }],
    // payments confirm and payouts complete on their own, quickly; tests may also step them at once
    stepMs: 200,
  });
  const receiver = await startReceiver({ port: TEST_RECEIVER_PORT });
  return async () => {
    await btcpay.close();
    await paypal.close();
    await emulator.close();
    await receiver.close();
  };
}
