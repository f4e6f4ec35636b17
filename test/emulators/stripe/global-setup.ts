// vitest globalSetup: the Stripe emulator runs in Node beside workerd for the whole test run.
import { TEST_STRIPE } from "../../constants.ts";
import { startStripeEmulator } from "./server.mjs";

export default async function setup() {
  const emulator = await startStripeEmulator({
    port: TEST_STRIPE.port,
    apiKey: [TEST_STRIPE.apiKey, TEST_STRIPE.merchantApiKey],
    webhookSecret: TEST_STRIPE.webhookSecret,
  });
  return () => emulator.close();
}
