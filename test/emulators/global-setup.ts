// vitest globalSetup: the Stripe and PayPal emulators and a merchant's webhook receiver run in
// Node beside workerd for the whole test run.
import { TEST_PAYPAL, TEST_RECEIVER_PORT, TEST_STRIPE } from "../constants.ts";
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
  const receiver = await startReceiver({ port: TEST_RECEIVER_PORT });
  return async () => {
    await paypal.close();
    await emulator.close();
    await receiver.close();
  };
}
