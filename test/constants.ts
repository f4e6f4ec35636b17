/** The operator token the tests' Worker is configured with (vitest.config.ts). */
export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789";

/** The sandbox channel's webhook signing secret in tests. */
export const TEST_SANDBOX_SECRET = "whsec_sandbox_test_secret";

/** The local Stripe emulator the workers tests run against (test/emulators/stripe). */
export const TEST_STRIPE = {
  port: 12112,
  apiKey: "sk_test_platform_emulator",
  webhookSecret: "whsec_test_stripe_emulator",
  publishableKey: "pk_test_platform_emulator",
  /** A merchant's own Stripe account, configured through PUT /api/v1/merchant/channels/stripe. */
  merchantApiKey: "sk_test_merchant_own_account_9876",
  merchantWebhookSecret: "whsec_merchant_own_account",
};

/** The local PayPal emulator the workers tests run against (test/emulators/paypal). */
export const TEST_PAYPAL = {
  port: 12115,
  clientId: "paypal_platform_client",
  clientSecret: "paypal_platform_secret",
  webhookId: "1PLATFORMEMULATOR",
  /** A merchant's own PayPal app, configured through PUT /api/v1/merchant/channels/paypal. */
  merchantClientId: "paypal_merchant_own_client",
  merchantClientSecret: "paypal_merchant_own_secret",
  merchantWebhookId: "2MERCHANTOWN",
};

/** The local BTCPay Server emulator the workers tests run against (test/emulators/btcpay). */
export const TEST_BTCPAY = {
  port: 12120,
  storeId: "7Hc4TestStoreBTCPayEmuLatorForWorkersTests23",
  apiKey: "btcpay_test_store_api_key_0123456789abcdef",
  webhookSecret: "btcpay_test_store_webhook_secret",
};

/** Seals merchants' channel credentials in tests (32 bytes, base64). */
export const TEST_CHANNEL_CONFIG_KEY = "dGVzdC1jaGFubmVsLWNvbmZpZy1rZXktMzItYnl0ZXM=";

/** The merchant webhook receiver the notification tests deliver to (test/emulators/receiver). */
export const TEST_RECEIVER_PORT = 12114;

/** The one origin CORS_ORIGINS allows in tests (vitest.config.ts): live keys work from its pages. */
export const TEST_CORS_ORIGIN = "https://shop.example";

/** Signs dashboard session tokens in tests (base64 of 32 bytes), so tests can forge an expired one. */
export const TEST_SESSION_KEY = "dGVzdC1vbmx5LWRhc2hib2FyZC1zZXNzaW9uLWtleSE=";

/**
 * The local SMTP servers the email tests send to (test/emulators/smtp): `port` requires `user` and
 * `password`; `tlsPort` offers STARTTLS (a self-signed certificate workerd does not trust);
 * `openPort` takes mail without sign-in, as npm run dev's does. Each has its page and JSON API on
 * the web port beside it.
 */
export const TEST_SMTP = {
  port: 12130,
  webPort: 12131,
  tlsPort: 12132,
  tlsWebPort: 12133,
  openPort: 12134,
  openWebPort: 12135,
  user: "smtp-test-user",
  password: "smtp-test-password",
  from: "receipts@payments.test",
};
