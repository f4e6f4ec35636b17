// vitest globalSetup: the Stripe emulator and a merchant's webhook receiver run in Node beside
// workerd for the whole test run.
import { TEST_RECEIVER_PORT, TEST_STRIPE } from "../constants.ts";
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
  const receiver = await startReceiver({ port: TEST_RECEIVER_PORT });
  return async () => {
    await emulator.close();
    await receiver.close();
  };
}
