import { describe, expect, it } from "vitest";
import { BTCPayCredentials, btcpayConfigOf } from "../../shared/channels/btcpay/config";

const valid = {
  server_url: "https://btcpay.example.com/",
  store_id: "9CiNzKoANXxmk5ayZngSXrHTiVvvgCrwrpFQd4m2K776",
  api_key: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
  webhook_secret: "3r8tLKyBrJ4mZxN2Gj4a7kQe",
};

/** The field a refused body names, as the route's 400 would. */
const refusedField = (body: object) => {
  const parsed = BTCPayCredentials.safeParse(body);
  return parsed.success ? null : parsed.error.issues[0]!.path.join(".");
};

describe("BTCPay credentials (PUT /api/v1/merchant/channels/btcpay)", () => {
  it("takes a server, store, key and secret, with MediumSpeed and 15 minutes by default", () => {
    const credentials = BTCPayCredentials.parse(valid);
    expect(credentials).toEqual({ ...valid, server_url: "https://btcpay.example.com", speed_policy: "MediumSpeed", expiration_minutes: 15 });
    expect(btcpayConfigOf(credentials)).toEqual({
      serverUrl: "https://btcpay.example.com",
      storeId: valid.store_id,
      apiKey: valid.api_key,
      webhookSecret: valid.webhook_secret,
      speedPolicy: "MediumSpeed",
      expirationMinutes: 15,
    });
  });

  it.each([
    ["https://btcpay.example.com", "https://btcpay.example.com"],
    ["https://btcpay.example.com///", "https://btcpay.example.com"],
    ["https://example.com/btcpay/", "https://example.com/btcpay"],
    ["HTTPS://BTCPay.Example.com:8443/", "https://btcpay.example.com:8443"],
    ["http://127.0.0.1:12123", "http://127.0.0.1:12123"],
  ])("keeps the server URL %s as %s, ready for API paths", (url, kept) => {
    const credentials = BTCPayCredentials.parse({ ...valid, server_url: url });
    expect(credentials.server_url).toBe(kept);
    // stored as parsed and read again through the schema: the same
    expect(BTCPayCredentials.parse(credentials)).toEqual(credentials);
  });

  it.each([
    ["not a URL", "btcpay.example.com"],
    ["another scheme", "ftp://btcpay.example.com"],
    ["credentials in it", "https://user:pass@btcpay.example.com"],
    ["a query", "https://btcpay.example.com/?storeId=1"],
    ["an empty query", "https://btcpay.example.com/?"],
    ["a fragment", "https://btcpay.example.com/#api"],
  ])("refuses a server URL with %s, naming server_url", (_, url) => {
    expect(refusedField({ ...valid, server_url: url })).toBe("server_url");
  });

  it("takes every speed policy BTCPay has, and expiries of 1 to 1440 whole minutes", () => {
    for (const speed_policy of ["HighSpeed", "MediumSpeed", "LowMediumSpeed", "LowSpeed"]) {
      expect(BTCPayCredentials.parse({ ...valid, speed_policy }).speed_policy).toBe(speed_policy);
    }
    expect(BTCPayCredentials.parse({ ...valid, expiration_minutes: 1 }).expiration_minutes).toBe(1);
    expect(BTCPayCredentials.parse({ ...valid, expiration_minutes: 1440 }).expiration_minutes).toBe(1440);
  });

  it.each([
    ["speed_policy", { speed_policy: "Fast" }],
    ["expiration_minutes", { expiration_minutes: 0 }],
    ["expiration_minutes", { expiration_minutes: 1441 }],
    ["expiration_minutes", { expiration_minutes: 7.5 }],
    ["store_id", { store_id: "" }],
    ["store_id", { store_id: "9CiNz/../../users" }],
    ["api_key", { api_key: "token abc" }],
    ["webhook_secret", { webhook_secret: "" }],
    ["server_url", { server_url: undefined }],
    ["", { extra: true }],
  ])("refuses a bad %s", (field, change) => {
    expect(refusedField({ ...valid, ...change })).toBe(field);
  });
});
