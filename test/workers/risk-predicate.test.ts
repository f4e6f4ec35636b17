// Evaluating a parsed rule (shared/risk/predicate.ts): each operator on facts a payment states and
// on facts it does not, strings in any case, like patterns, lists (and lists that do not exist),
// and / or / not with their precedence. Rules go through the parser first, so they are evaluated
// in the form that is stored.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluatePredicate, type Facts } from "../../shared/risk/predicate";
import { parseRule } from "../../shared/risk/rule-language";

const FACTS: Facts = {
  amount: 150_000,
  amount_in_usd: 1500.5,
  currency: "EUR",
  payment_method: "pm_card_visa",
  channel: "stripe",
  customer_email: "Ann@Example.com",
  customer_email_domain: "Example.com",
  customer_ip: "203.0.113.7",
  customer_country: "DE",
  customer: "Ann@Example.com",
  total_payments_per_email_hourly: 3,
  failed_amount_in_usd_per_ip_daily: 0,
  "::tier::": "Gold",
  "::note::": "(a+)*$ 😀",
};

// as lists.ts keeps them: lower-cased
const LISTS = new Map<string, ReadonlySet<string>>([
  ["blocked_emails", new Set(["ann@example.com", "bob@example.com"])],
  ["disposable_domains", new Set(["mailinator.com"])],
  ["gold_tiers", new Set(["gold"])],
]);
const lists = (name: string) => LISTS.get(name);

const holds = (rule: string, facts: Facts = FACTS) => evaluatePredicate(parseRule(rule), facts, lists);

// [rule, matches FACTS]
const PRESENT: Array<[string, boolean]> = [
  [":amount: = 150000", true],
  [":amount: = 149999", false],
  [":amount: != 149999", true],
  [":amount: != 150000", false],
  [":amount: < 150001", true],
  [":amount: < 150000", false],
  [":amount: <= 150000", true],
  [":amount: <= 149999", false],
  [":amount: > 149999", true],
  [":amount: > 150000", false],
  [":amount: >= 150000", true],
  [":amount: >= 150001", false],
  [":amount: in (1, 150000)", true],
  [":amount: in (1, 2)", false],
  [":amount: not_in (1, 2)", true],
  [":amount: not_in (150000)", false],
  [":amount_in_usd: > 1500.49", true],
  [":amount_in_usd: >= 1500.5", true],
  [":amount_in_usd: < 1500.5", false],
  [":total_payments_per_email_hourly: >= 3", true],
  [":total_payments_per_email_hourly: > 3", false],
  [":failed_amount_in_usd_per_ip_daily: = 0", true],
  [":failed_amount_in_usd_per_ip_daily: > 0", false],
  // strings: lower-cased on both sides
  [":currency: = 'EUR'", true],
  [":currency: = 'eur'", true],
  [":currency: = 'USD'", false],
  [":currency: != 'USD'", true],
  [":currency: != 'Eur'", false],
  [":currency: in ('usd', 'eur')", true],
  [":currency: in ('USD', 'GBP')", false],
  [":currency: not_in ('USD')", true],
  [":currency: not in ('EUR')", false],
  [":customer_email: = 'ann@example.com'", true],
  [":customer_email: = 'ANN@EXAMPLE.COM'", true],
  [":customer_email_domain: = 'example.com'", true],
  [":customer_country: = 'de'", true],
  [":payment_method: = 'pm_card_visa'", true],
  [":channel: = 'paypal'", false],
  [":customer: = 'ann@example.com'", true],
  [":customer_ip: = '203.0.113.7'", true],
  ["::tier:: = 'gold'", true],
  ["::tier:: != 'silver'", true],
  ["::tier:: in ('silver', 'GOLD')", true],
  // like: % any run (none too), _ exactly one character, the rest itself, in any case
  [":customer_email: like '%@example.com'", true],
  [":customer_email: like 'ANN@%'", true],
  [":customer_email: like 'a_n@%'", true],
  [":customer_email: like '%@example.org'", false],
  [":customer_email: like 'ann'", false],
  [":customer_email: like '%'", true],
  [":customer_email: like ''", false],
  [":customer_email: like '%example%'", true],
  [":customer_email: like '%%ann@example.com%%'", true],
  ["::tier:: like 'gol_'", true],
  ["::tier:: like 'go_'", false],
  ["::tier:: like 'gold_'", false],
  ["::tier:: like 'gold%'", true],
  ["::tier:: like '____'", true],
  ["::tier:: like '_____'", false],
  [":customer_ip: like '203.0.113._'", true],
  [":customer_ip: like '203.0.113.%'", true],
  [":customer_ip: like '203_0_113_7'", true],
  [":customer_ip: like '203.0.11%.8'", false],
  // regular-expression characters are themselves
  ["::tier:: like 'g.ld'", false],
  ["::tier:: like 'g.*'", false],
  ["::note:: like '(a+)*$ %'", true],
  ["::note:: like '(a+)*$ _'", true], // one emoji is one character
  ["::note:: like 'aaa%'", false],
  // lists: values lower-cased, facts lower-cased to meet them
  [":customer_email: in @blocked_emails", true],
  [":customer_email: not_in @blocked_emails", false],
  [":customer: in @blocked_emails", true],
  [":customer_email_domain: in @disposable_domains", false],
  [":customer_email_domain: not_in @disposable_domains", true],
  ["::tier:: in @gold_tiers", true],
  // a list that does not exist is empty
  [":customer_email: in @no_such_list", false],
  [":customer_email: not_in @no_such_list", true],
];

describe("a comparison on a fact the payment states", () => {
  it.each(PRESENT)("%s → %s", (rule, expected) => {
    expect(holds(rule)).toBe(expected);
  });

  it("covers every operator", () => {
    const ops = new Set(PRESENT.map(([rule]) => parseRule(rule)).map((p) => ("op" in p ? `${p.op}${"list" in p ? " @list" : ""}` : "")));
    expect([...ops].sort()).toEqual(["!=", "<", "<=", "=", ">", ">=", "in", "in @list", "like", "not_in", "not_in @list"]);
  });
});

// [rule]: on a fact the payment does not state, =, ranges, in and like miss; != and not_in hit
const MISSING: Array<[string, boolean]> = [
  [":customer_country: = 'DE'", false],
  [":customer_country: != 'DE'", true],
  [":customer_country: in ('DE', 'US')", false],
  [":customer_country: not_in ('DE', 'US')", true],
  [":customer_country: like '%'", false],
  [":customer_country: in @blocked_emails", false],
  [":customer_country: not_in @blocked_emails", true],
  [":customer_country: in @no_such_list", false],
  [":customer_country: not_in @no_such_list", true],
  [":blocked_payments_per_customer_weekly: = 0", false],
  [":blocked_payments_per_customer_weekly: != 0", true],
  [":blocked_payments_per_customer_weekly: < 1", false],
  [":blocked_payments_per_customer_weekly: <= 1", false],
  [":blocked_payments_per_customer_weekly: > 1", false],
  [":blocked_payments_per_customer_weekly: >= 0", false],
  [":blocked_payments_per_customer_weekly: in (0, 1)", false],
  [":blocked_payments_per_customer_weekly: not_in (0, 1)", true],
  ["::missing:: = 'x'", false],
  ["::missing:: != 'x'", true],
  ["::missing:: like '%'", false],
  ["not :customer_country: = 'DE'", true],
  ["not :customer_country: != 'DE'", false],
];

describe("a comparison on a fact the payment does not state", () => {
  const nulls: Facts = { ...FACTS, customer_country: null, blocked_payments_per_customer_weekly: null, "::missing::": null };
  const absent: Facts = Object.fromEntries(Object.entries(nulls).filter(([, v]) => v !== null));

  it.each(MISSING)("%s → %s, whether null or absent", (rule, expected) => {
    expect(holds(rule, nulls)).toBe(expected);
    expect(holds(rule, absent)).toBe(expected);
  });

  it("is not read from Object.prototype", () => {
    expect(holds("::constructor:: = 'x'")).toBe(false);
    expect(holds("::toString:: != 'x'")).toBe(true);
  });
});

describe("and, or, not", () => {
  const T = ":currency: = 'EUR'";
  const F = ":currency: = 'USD'";
  const CASES: Array<[string, boolean]> = [
    [`${T} and ${T}`, true],
    [`${T} and ${F}`, false],
    [`${F} or ${T}`, true],
    [`${F} or ${F}`, false],
    [`not ${T}`, false],
    [`not ${F}`, true],
    [`not not ${T}`, true],
    // and binds tighter than or: T or (F and F), not (T or F) and F
    [`${T} or ${F} and ${F}`, true],
    [`(${T} or ${F}) and ${F}`, false],
    // not binds tighter than and: (not T) and F, not (T and F)
    [`not ${T} and ${F}`, false],
    [`not (${T} and ${F})`, true],
    [`${F} and ${F} or ${T}`, true],
  ];

  it.each(CASES)("%s → %s", (rule, expected) => {
    expect(holds(rule)).toBe(expected);
  });

  it("stops at the first deciding operand", () => {
    // the second operand reads a number fact that is a string: reached, it would throw
    const facts: Facts = { ...FACTS, amount: "150000" };
    expect(evaluatePredicate(parseRule(`${F} and :amount: > 1`), facts, lists)).toBe(false);
    expect(evaluatePredicate(parseRule(`${T} or :amount: > 1`), facts, lists)).toBe(true);
    expect(() => evaluatePredicate(parseRule(`${T} and :amount: > 1`), facts, lists)).toThrow(TypeError);
  });
});

describe("a fact of the wrong type", () => {
  it("is the caller's mistake, thrown, not a miss", () => {
    expect(() => holds(":amount: > 1", { amount: "5" })).toThrow("The fact amount must be a number, not \"5\"");
    expect(() => holds(":currency: = 'EUR'", { currency: 978 })).toThrow("The fact currency must be a string, not 978");
  });
});

describe("like", () => {
  it("stays fast on patterns that make regular expressions backtrack", () => {
    const facts = { ...FACTS, "::note::": "a".repeat(500) };
    const started = performance.now();
    expect(holds(`::note:: like '${"%a".repeat(30)}%b'`, facts)).toBe(false);
    expect(holds(`::note:: like '${"%a".repeat(30)}%'`, facts)).toBe(true);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it("agrees with the regular expression it stands for, on any pattern and value", () => {
    const char = fc.constantFrom("a", "B", "%", "_", ".", "*", "(", "\\", "😀", "é", "\n");
    const regexOf = (pattern: string) =>
      new RegExp(`^${Array.from(pattern.toLowerCase(), (c) => (c === "%" ? ".*" : c === "_" ? "." : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("")}$`, "su");
    fc.assert(
      fc.property(fc.string({ unit: char, maxLength: 8 }), fc.string({ unit: char, maxLength: 10 }), (pattern, value) => {
        const rule = { attribute: "::note::", op: "like" as const, value: pattern };
        expect(evaluatePredicate(rule, { "::note::": value }, lists)).toBe(regexOf(pattern).test(value.toLowerCase()));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("negated operators", () => {
  it("!= is not =, and not_in is not in, on any fact, stated or not", () => {
    const fact = fc.option(fc.constantFrom("DE", "de", "US", "FR"), { nil: null });
    const values = fc.array(fc.constantFrom("DE", "us", "GB"), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(fact, values, (country, list) => {
        const facts = { customer_country: country };
        const is = (rule: string) => evaluatePredicate(parseRule(rule), facts, lists);
        const quoted = list.map((v) => `'${v}'`);
        expect(is(`:customer_country: != ${quoted[0]}`)).toBe(!is(`:customer_country: = ${quoted[0]}`));
        expect(is(`:customer_country: not_in (${quoted.join(", ")})`)).toBe(!is(`:customer_country: in (${quoted.join(", ")})`));
        expect(is(`not :customer_country: in (${quoted.join(", ")})`)).toBe(is(`:customer_country: not_in (${quoted.join(", ")})`));
      }),
    );
  });
});
