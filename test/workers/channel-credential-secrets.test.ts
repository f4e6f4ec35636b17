// Which of a channel's credentials are secrets is said once, in its schema (SECRET_CREDENTIAL):
// the API reference marks them writeOnly, and the dashboard asks for them in password inputs. The
// mark must match what the channel shows back: a field is secret exactly when describe() never
// answers its value.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CHANNEL_DEFINITIONS } from "../../shared/channels/registry";
import { BASE } from "./helpers";

/** Credentials as a merchant sends them, one set per channel that takes a merchant's own account. */
const SAMPLES: Record<string, Record<string, unknown>> = {
  stripe: { secret_key: "sk_test_own51Secret9876", webhook_secret: "whsec_ownSecret42", publishable_key: "pk_test_ownPublic77" },
  paypal: { client_id: "own-client-id", client_secret: "own-client-secret-5150", webhook_id: "8OWNWEBHOOK" },
  btcpay: {
    server_url: "https://btcpay.merchant.example",
    store_id: "OwnStore123",
    api_key: "own_greenfield_key_6789",
    webhook_secret: "own-store-webhook-secret",
    speed_policy: "LowSpeed",
    expiration_minutes: 30,
  },
};

interface BodySchema {
  properties: Record<string, { writeOnly?: boolean }>;
}

describe("secret credentials", () => {
  it("are marked writeOnly in the API reference exactly when describe() never shows them back", async () => {
    const doc = await (await SELF.fetch(`${BASE}/openapi.json`)).json<{
      paths: Record<string, { put: { requestBody: { content: { "application/json": { schema: BodySchema } } } } }>;
    }>();
    const own = CHANNEL_DEFINITIONS.filter((d) => d.merchantCredentials);
    expect(own.length).toBeGreaterThan(0);
    for (const definition of own) {
      const sample = SAMPLES[definition.name];
      expect(sample, `a sample of ${definition.name}'s credentials in this test`).toBeDefined();
      const credentials = definition.merchantCredentials!.schema.parse(sample) as Record<string, unknown>;
      const shown = definition.merchantCredentials!.describe(credentials);
      const schema = doc.paths[`/api/v1/merchant/channels/${definition.name}`]!.put.requestBody.content["application/json"].schema;
      expect(Object.keys(schema.properties).sort(), definition.name).toEqual(Object.keys(sample!).sort());
      for (const [name, property] of Object.entries(schema.properties)) {
        const value = String(credentials[name]);
        const where = `${definition.name}.${name}`;
        if (property.writeOnly) {
          expect(Object.values(shown).join("\n"), where).not.toContain(value);
        } else {
          expect(shown[name], where).toBe(value);
        }
      }
    }
  });
});
