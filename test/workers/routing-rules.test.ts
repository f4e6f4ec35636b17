// Rule matching (shared/routing/rules.ts): every op on every field, all / any / not nesting, facts
// a payment does not state, and metadata keys. Conditions go through the configuration schema
// first, so they are matched in the form that is stored.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConditionSchema, type Condition } from "../../shared/routing/config";
import { matches, type PaymentFacts } from "../../shared/routing/rules";

const FACTS: PaymentFacts = {
  amount: 150_000,
  currency: "EUR",
  payment_method: "pm_card_visa",
  customer_country: "DE",
  metadata: { tier: "gold" },
};

const when = (input: unknown): Condition => ConditionSchema.parse(input);
const leaf = (field: string, op: string, value: unknown) => when({ field, op, value });

// [field, op, value, matches FACTS]
const TABLE: Array<[string, string, unknown, boolean]> = [
  ["amount", "eq", 150_000, true],
  ["amount", "eq", 149_999, false],
  ["amount", "ne", 149_999, true],
  ["amount", "ne", 150_000, false],
  ["amount", "lt", 150_001, true],
  ["amount", "lt", 150_000, false],
  ["amount", "lte", 150_000, true],
  ["amount", "lte", 149_999, false],
  ["amount", "gt", 149_999, true],
  ["amount", "gt", 150_000, false],
  ["amount", "gte", 150_000, true],
  ["amount", "gte", 150_001, false],
  ["amount", "in", [1, 150_000], true],
  ["amount", "in", [1, 2], false],
  ["amount", "not_in", [1, 2], true],
  ["amount", "not_in", [150_000], false],
  ["currency", "eq", "EUR", true],
  ["currency", "eq", "eur", true], // stored upper-case, as payments state it
  ["currency", "eq", "USD", false],
  ["currency", "ne", "USD", true],
  ["currency", "ne", "EUR", false],
  ["currency", "in", ["USD", "EUR"], true],
  ["currency", "in", ["USD", "GBP"], false],
  ["currency", "not_in", ["USD"], true],
  ["currency", "not_in", ["EUR"], false],
  ["payment_method", "eq", "pm_card_visa", true],
  ["payment_method", "eq", "paypal", false],
  ["payment_method", "ne", "paypal", true],
  ["payment_method", "ne", "pm_card_visa", false],
  ["payment_method", "in", ["crypto", "pm_card_visa"], true],
  ["payment_method", "in", ["crypto"], false],
  ["payment_method", "not_in", ["crypto"], true],
  ["payment_method", "not_in", ["pm_card_visa"], false],
  ["customer_country", "eq", "DE", true],
  ["customer_country", "eq", "FR", false],
  ["customer_country", "ne", "FR", true],
  ["customer_country", "ne", "DE", false],
  ["customer_country", "in", ["AT", "DE", "CH"], true],
  ["customer_country", "in", ["US"], false],
  ["customer_country", "not_in", ["US"], true],
  ["customer_country", "not_in", ["DE"], false],
  ["metadata.tier", "eq", "gold", true],
  ["metadata.tier", "eq", "silver", false],
  ["metadata.tier", "ne", "silver", true],
  ["metadata.tier", "ne", "gold", false],
  ["metadata.tier", "in", ["gold", "platinum"], true],
  ["metadata.tier", "in", ["silver"], false],
  ["metadata.tier", "not_in", ["silver"], true],
  ["metadata.tier", "not_in", ["gold"], false],
];

describe("a condition on one field", () => {
  it.each(TABLE)("%s %s %j → %s", (field, op, value, expected) => {
    expect(matches(leaf(field, op, value), FACTS)).toBe(expected);
  });

  it("covers every op on amount and the four equality ops on every other field", () => {
    const pairs = new Set(TABLE.map(([field, op]) => `${field} ${op}`));
    expect(pairs.size).toBe(8 + 4 * 4);
  });
});

describe("a fact the payment does not state", () => {
  const unstated: PaymentFacts = { ...FACTS, payment_method: null, customer_country: null, metadata: {} };
  const cases: Array<[string, unknown]> = [
    ["payment_method", "pm_card_visa"],
    ["customer_country", "DE"],
    ["metadata.tier", "gold"],
  ];

  it.each(cases)("%s: never eq or in, always ne and not_in", (field, value) => {
    expect(matches(leaf(field, "eq", value), unstated)).toBe(false);
    expect(matches(leaf(field, "in", [value]), unstated)).toBe(false);
    expect(matches(leaf(field, "ne", value), unstated)).toBe(true);
    expect(matches(leaf(field, "not_in", [value]), unstated)).toBe(true);
  });

  it("is a metadata key the payment lacks, even one Object.prototype has", () => {
    expect(matches(leaf("metadata.constructor", "eq", "x"), FACTS)).toBe(false);
    expect(matches(leaf("metadata.constructor", "ne", "x"), FACTS)).toBe(true);
    expect(matches(leaf("metadata.toString", "in", ["x"]), FACTS)).toBe(false);
  });

  it("reads each metadata key on its own (a key with a dot in it too)", () => {
    const facts = { ...FACTS, metadata: { "shop.region": "eu", tier: "gold" } };
    expect(matches(leaf("metadata.shop.region", "eq", "eu"), facts)).toBe(true);
    expect(matches(leaf("metadata.shop", "eq", "eu"), facts)).toBe(false);
  });
});

describe("all, any and not", () => {
  const yes = { field: "currency", op: "eq", value: "EUR" };
  const no = { field: "currency", op: "eq", value: "USD" };
  const NESTED: Array<[string, unknown, boolean]> = [
    ["all of true, true", { all: [yes, yes] }, true],
    ["all of true, false", { all: [yes, no] }, false],
    ["any of false, true", { any: [no, yes] }, true],
    ["any of false, false", { any: [no, no] }, false],
    ["not true", { not: yes }, false],
    ["not false", { not: no }, true],
    ["not not true", { not: { not: yes } }, true],
    ["big EUR from DE: all of a range, an equality and a list", {
      all: [yes, { field: "amount", op: "gte", value: 100_000 }, { field: "customer_country", op: "in", value: ["DE", "AT"] }],
    }, true],
    ["any of (all of true, false), not false", { any: [{ all: [yes, no] }, { not: no }] }, true],
    ["all of (any of false, false), true", { all: [{ any: [no, no] }, yes] }, false],
    ["not (any of (all of true, true))", { not: { any: [{ all: [yes, yes] }] } }, false],
  ];

  it.each(NESTED)("%s → %s", (_, condition, expected) => {
    expect(matches(when(condition), FACTS)).toBe(expected);
  });

  it("obeys De Morgan for any facts and any two conditions", () => {
    const arbFacts = fc.record({
      amount: fc.integer({ min: 1, max: 1_000_000 }),
      currency: fc.constantFrom("EUR", "USD", "JPY"),
      payment_method: fc.option(fc.constantFrom("pm_card_visa", "paypal"), { nil: null }),
      customer_country: fc.option(fc.constantFrom("DE", "US"), { nil: null }),
      metadata: fc.dictionary(fc.constantFrom("tier", "region"), fc.constantFrom("gold", "eu")),
    });
    const arbLeaf = fc.oneof(
      fc.record({ field: fc.constant("amount"), op: fc.constantFrom("eq", "ne", "lt", "lte", "gt", "gte"), value: fc.integer({ min: 1, max: 1_000_000 }) }),
      fc.record({ field: fc.constant("currency"), op: fc.constantFrom("eq", "ne"), value: fc.constantFrom("EUR", "USD") }),
      fc.record({ field: fc.constantFrom("payment_method", "metadata.tier"), op: fc.constantFrom("in", "not_in"), value: fc.constant(["paypal", "gold"]) }),
      fc.record({ field: fc.constant("customer_country"), op: fc.constantFrom("eq", "ne"), value: fc.constantFrom("DE", "US") }),
    );
    fc.assert(
      fc.property(arbFacts, arbLeaf, arbLeaf, (facts, a, b) => {
        const notAll = matches(when({ not: { all: [a, b] } }), facts);
        const anyNot = matches(when({ any: [{ not: a }, { not: b }] }), facts);
        const notAny = matches(when({ not: { any: [a, b] } }), facts);
        const allNot = matches(when({ all: [{ not: a }, { not: b }] }), facts);
        return notAll === anyNot && notAny === allNot && matches(when({ not: a }), facts) === !matches(when(a), facts);
      }),
    );
  });
});
