import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

import { TEST_ADMIN_TOKEN, TEST_CHANNEL_CONFIG_KEY, TEST_CORS_ORIGIN, TEST_PAYPAL, TEST_SANDBOX_SECRET, TEST_SESSION_KEY, TEST_SMTP, TEST_STRIPE } from "./test/constants.ts";

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./d1-migrations");
  return {
    test: {
      // the platform's info lines (one per request, per transition…) would bury the output;
      // its warnings and errors still show
      onConsoleLog: (line: string) => !/^\{"level":"(?:info|debug)"/.test(line),
      projects: [
        {
          // Everything that touches the Worker runs inside workerd, with the real bindings.
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  ADMIN_API_TOKEN: TEST_ADMIN_TOKEN,
                  SANDBOX_WEBHOOK_SECRET: TEST_SANDBOX_SECRET,
                  SANDBOX_DELAY_MS: "200",
                  STRIPE_API_KEY: TEST_STRIPE.apiKey,
                  STRIPE_WEBHOOK_SECRET: TEST_STRIPE.webhookSecret,
                  STRIPE_PUBLISHABLE_KEY: TEST_STRIPE.publishableKey,
                  STRIPE_API_BASE: `http://127.0.0.1:${TEST_STRIPE.port}`,
                  PAYPAL_CLIENT_ID: TEST_PAYPAL.clientId,
                  PAYPAL_CLIENT_SECRET: TEST_PAYPAL.clientSecret,
                  PAYPAL_WEBHOOK_ID: TEST_PAYPAL.webhookId,
                  PAYPAL_API_BASE: `http://127.0.0.1:${TEST_PAYPAL.port}`,
                  CHANNEL_CONFIG_KEY: TEST_CHANNEL_CONFIG_KEY,
                  NOTIFY_RETRY_SCHEDULE: "1,1",
                  NOTIFY_TIMEOUT_MS: "500",
                  CORS_ORIGINS: TEST_CORS_ORIGIN,
                  PUBLIC_BASE_URL: "https://payments.test",
                  SESSION_SIGNING_KEY: TEST_SESSION_KEY,
                  SMTP_HOST: "127.0.0.1",
                  SMTP_PORT: String(TEST_SMTP.port),
                  SMTP_FROM: TEST_SMTP.from,
                  SMTP_USER: TEST_SMTP.user,
                  SMTP_PASSWORD: TEST_SMTP.password,
                },
              },
            }),
          ],
          test: {
            name: "workers",
            testTimeout: 15_000,
            include: ["test/workers/**/*.test.ts"],
            setupFiles: ["./test/workers/apply-migrations.ts"],
            globalSetup: ["./test/emulators/global-setup.ts"],
          },
        },
        {
          // Tooling that needs Node (schema validators that compile code, local servers).
          test: { name: "node", environment: "node", include: ["test/node/**/*.test.ts"] },
          resolve: { alias: { "cloudflare:workers": new URL("./test/node/cloudflare-workers.ts", import.meta.url).pathname } },
        },
        {
          // The dashboard in headless Chromium against the Worker on wrangler's local runtime
          // (test/browser/harness.ts): one file at a time, so one workerd and one browser.
          test: {
            name: "browser",
            environment: "node",
            include: ["test/browser/**/*.test.ts"],
            testTimeout: 60_000,
            hookTimeout: 120_000,
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
