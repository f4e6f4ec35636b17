// vitest globalSetup: the Stripe, PayPal and BTCPay emulators, a merchant's webhook receiver and
// the SMTP servers run in Node beside workerd for the whole test run.
import { TEST_BTCPAY, TEST_PAYPAL, TEST_RECEIVER_PORT, TEST_SMTP, TEST_STRIPE } from "../constants.ts";
import { startBTCPayEmulator } from "./btcpay/server.mjs";
import { startPayPalEmulator } from "./paypal/server.mjs";
import { startReceiver } from "./receiver/server.mjs";
import { startSmtpServer } from "./smtp/server.mjs";
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
  const smtp = await startSmtpServer({ smtpPort: TEST_SMTP.port, webPort: TEST_SMTP.webPort, user: TEST_SMTP.user, password: TEST_SMTP.password });
  const smtpTls = await startSmtpServer({ smtpPort: TEST_SMTP.tlsPort, webPort: TEST_SMTP.tlsWebPort, startTls: true });
  const smtpOpen = await startSmtpServer({ smtpPort: TEST_SMTP.openPort, webPort: TEST_SMTP.openWebPort });
  return async () => {
    await btcpay.close();
    await paypal.close();
    await emulator.close();
    await receiver.close();
    await smtp.close();
    await smtpTls.close();
    await smtpOpen.close();
  };
}
