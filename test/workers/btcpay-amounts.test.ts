import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChannelError } from "../../shared/channels/adapter";
import { fiatValueOf, fromBTCPayAmount, toBTCPayAmount } from "../../shared/channels/btcpay/amounts";
import { CURRENCY_CODES, findCurrency } from "../../shared/money/currencies";

describe("BTCPay amount conversion", () => {
  it.each([
    // currency, platform minor units, BTCPay amount: the ISO exponent, as the platform keeps it
    ["USD", 1999, "19.99"],
    ["USD", 5, "0.05"],
    ["EUR", 100, "1.00"],
    ["HUF", 1550, "15.50"],
    ["JPY", 1500, "1500"],
    ["JPY", 1, "1"],
    ["KRW", 0, "0"],
    ["BHD", 1234, "1.234"],
    ["KWD", 7, "0.007"],
  ])("%s %i <-> %s", (currency, amount, value) => {
    expect(toBTCPayAmount(amount, currency)).toBe(value);
    expect(fromBTCPayAmount(value, currency)).toBe(amount);
  });

  it("takes the currency in any case", () => {
    expect(toBTCPayAmount(1999, "usd")).toBe("19.99");
  });

  it("refuses a currency the platform does not know, and an amount that is not whole minor units", () => {
    expect(() => toBTCPayAmount(1000, "XYZ")).toThrow(expect.objectContaining({ code: "currency_unsupported", status: 400 }));
    for (const amount of [1.5, -1, Number.NaN, 2 ** 53]) {
      expect(() => toBTCPayAmount(amount, "USD")).toThrow(expect.objectContaining({ code: "amount_invalid", status: 400 }));
    }
  });

  it("reads BTCPay's amounts exactly, trailing zeros included, and refuses one finer than the minor unit", () => {
    expect(fromBTCPayAmount("19.9", "USD")).toBe(1990);
    expect(fromBTCPayAmount("19.99000000", "USD")).toBe(1999);
    expect(fromBTCPayAmount("1500.000", "JPY")).toBe(1500);
    expect(fromBTCPayAmount("1.2340", "BHD")).toBe(1234);
    for (const [value, currency] of [["19.999", "USD"], ["1.5", "JPY"], ["1.2345", "BHD"], ["-1.00", "USD"], ["1e3", "USD"], ["", "USD"], ["99999999999999999", "USD"]]) {
      expect(() => fromBTCPayAmount(value!, currency!)).toThrow(ChannelError);
    }
  });

  it("never goes through a float: 0.1 + 0.2 of a currency stays exact", () => {
    expect(fromBTCPayAmount("0.10", "USD") + fromBTCPayAmount("0.20", "USD")).toBe(fromBTCPayAmount("0.30", "USD"));
    expect(toBTCPayAmount(Number.MAX_SAFE_INTEGER, "BHD")).toBe("9007199254740.991");
  });

  it("round-trips every amount in every currency the platform knows", () => {
    fc.assert(
      fc.property(fc.constantFrom(...CURRENCY_CODES), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (currency, amount) => {
        const value = toBTCPayAmount(amount, currency);
        const exponent = findCurrency(currency)!.exponent;
        expect(value).toMatch(exponent === 0 ? /^\d+$/ : new RegExp(`^\\d+\\.\\d{${exponent}}$`));
        expect(fromBTCPayAmount(value, currency)).toBe(amount);
      }),
    );
  });
});

describe("the fiat worth of what the buyer paid", () => {
  it.each([
    // crypto paid, rate (currency per BTC), currency, minor units
    ["0.0003998", "50000", "USD", 1999],
    ["0.00039980", "50000.00", "USD", 1999],
    ["0", "50000", "USD", 0],
    ["1", "64392.23", "USD", 6439223],
    ["0.00031045", "64392.23", "USD", 1999], // 19.9905… rounds down
    ["0.00000015", "50000", "USD", 1], // 0.0075 USD: over half a cent, up
    ["0.00000001", "50000", "USD", 0], // 0.0005 USD: under half a cent, down
    ["0.0000001", "50000", "USD", 1], // 0.005 USD: exactly half a cent, up
    ["0.0002", "7500000", "JPY", 1500],
    ["0.00002", "25000", "JPY", 1], // ¥0.5 exactly: half rounds up
    ["0.0001", "18234.567", "BHD", 1823], // 1.8234567 BD
    ["0.00010003", "18234.567", "BHD", 1824], // 1.824003737… BD
  ])("%s BTC at %s is %i %s minor units", (paid, rate, currency, minor) => {
    expect(fiatValueOf(paid, rate, currency)).toBe(minor);
  });

  it("is exact where floats are not", () => {
    // 0.1 × 3 is 0.30000000000000004 in floating point; 0.145 × 100 is 14.499999999999998
    expect(fiatValueOf("0.1", "3", "USD")).toBe(30);
    expect(fiatValueOf("0.145", "1", "USD")).toBe(15);
    expect(fiatValueOf("1.005", "1", "USD")).toBe(101);
  });

  it("agrees with the exact rational product, rounded half up, for any amount and rate", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 21_000_000n * 10n ** 8n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), (sats, cents) => {
        const paid = `${sats / 10n ** 8n}.${String(sats % 10n ** 8n).padStart(8, "0")}`;
        const rate = `${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`;
        // sats × cents / 10^10 BTC·(USD/BTC) = USD; × 100 for cents; half up: floor(x + 1/2)
        const expected = (2n * sats * cents * 100n + 10n ** 10n) / (2n * 10n ** 10n);
        fc.pre(expected <= BigInt(Number.MAX_SAFE_INTEGER));
        expect(fiatValueOf(paid, rate, "USD")).toBe(Number(expected));
      }),
    );
  });

  it("refuses what is not a decimal, or more than the platform can hold", () => {
    expect(() => fiatValueOf("-0.1", "50000", "USD")).toThrow(expect.objectContaining({ code: "btcpay_amount_invalid", status: 502 }));
    expect(() => fiatValueOf("0.1", "5e4", "USD")).toThrow(expect.objectContaining({ code: "btcpay_amount_invalid" }));
    expect(() => fiatValueOf("21000000", "1000000000000", "USD")).toThrow(expect.objectContaining({ code: "btcpay_amount_invalid" }));
  });
});
