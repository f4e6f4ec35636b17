// The risk rule language (shared/risk/rule-language.ts, shared/risk/attributes.ts): what parses and
// into which predicate, every refusal with its exact message, offset, line and column, the limits,
// the attribute catalogue, and that printing any predicate reads back to the same one. Inside
// workerd, where code from strings is refused: the parser must not need it.
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { ATTRIBUTES, attributeTypeOf, velocityCounterOf } from "../../shared/risk/attributes";
import { attributesOf, listsOf, parseRule, printRule, RuleSyntaxError, type Comparison, type Predicate } from "../../shared/risk/rule-language";

const a1: Comparison = { attribute: "amount", op: ">", value: 1 };
const c1: Comparison = { attribute: "currency", op: "=", value: "USD" };
const e1: Comparison = { attribute: "customer_email", op: "like", value: "%@x.io" };

// [rule, predicate]
const VALID: Array<[string, Predicate]> = [
  [":amount_in_usd: > 1000", { attribute: "amount_in_usd", op: ">", value: 1000 }],
  [":amount: >= 12.5", { attribute: "amount", op: ">=", value: 12.5 }],
  [":amount: < 100", { attribute: "amount", op: "<", value: 100 }],
  [":amount: <= 0.000001", { attribute: "amount", op: "<=", value: 0.000001 }],
  [":amount: = 007", { attribute: "amount", op: "=", value: 7 }],
  [":amount: != 5", { attribute: "amount", op: "!=", value: 5 }],
  [":amount: > 9007199254740991", { attribute: "amount", op: ">", value: Number.MAX_SAFE_INTEGER }],
  [":currency: = 'USD'", c1],
  [':currency: != "EUR"', { attribute: "currency", op: "!=", value: "EUR" }],
  [":payment_method: = 'pm_card_visa'", { attribute: "payment_method", op: "=", value: "pm_card_visa" }],
  [":channel: = 'stripe'", { attribute: "channel", op: "=", value: "stripe" }],
  [":customer: = 'Ann Lee'", { attribute: "customer", op: "=", value: "Ann Lee" }],
  [":customer_email: like '%@example.com'", { attribute: "customer_email", op: "like", value: "%@example.com" }],
  [":customer_ip: like '203.0.113._'", { attribute: "customer_ip", op: "like", value: "203.0.113._" }],
  [":customer_country: in ('US', 'CA')", { attribute: "customer_country", op: "in", values: ["US", "CA"] }],
  [":customer_country: not_in ('US')", { attribute: "customer_country", op: "not_in", values: ["US"] }],
  [":customer_country: not in ('US', \"CA\",'MX')", { attribute: "customer_country", op: "not_in", values: ["US", "CA", "MX"] }],
  [":amount: in (100, 200.5)", { attribute: "amount", op: "in", values: [100, 200.5] }],
  [":customer_email_domain: in @disposable_domains", { attribute: "customer_email_domain", op: "in", list: "disposable_domains" }],
  [":customer_ip: not_in @allowed_ips_2", { attribute: "customer_ip", op: "not_in", list: "allowed_ips_2" }],
  [":customer_email: not in @blocked_emails", { attribute: "customer_email", op: "not_in", list: "blocked_emails" }],
  ["::order_source:: = 'app'", { attribute: "::order_source::", op: "=", value: "app" }],
  ["::Shop.Region-2:: in ('eu')", { attribute: "::Shop.Region-2::", op: "in", values: ["eu"] }],
  [":total_payments_per_email_hourly: > 5", { attribute: "total_payments_per_email_hourly", op: ">", value: 5 }],
  [":failed_amount_in_usd_per_customer_weekly: >= 250.75", { attribute: "failed_amount_in_usd_per_customer_weekly", op: ">=", value: 250.75 }],
  [":blocked_payments_per_ip_daily: = 0", { attribute: "blocked_payments_per_ip_daily", op: "=", value: 0 }],
  // escapes: \' \" \\ only
  ["::note:: = 'it\\'s'", { attribute: "::note::", op: "=", value: "it's" }],
  ['::note:: = "say \\"hi\\""', { attribute: "::note::", op: "=", value: 'say "hi"' }],
  ["::note:: = 'back\\\\slash \"as is\"'", { attribute: "::note::", op: "=", value: 'back\\slash "as is"' }],
  ["::note:: = ''", { attribute: "::note::", op: "=", value: "" }],
  // precedence: not over and over or; a group is no node of its own
  [":amount: > 1 or :currency: = 'USD' and :customer_email: like '%@x.io'", { or: [a1, { and: [c1, e1] }] }],
  ["(:amount: > 1 or :currency: = 'USD') and :customer_email: like '%@x.io'", { and: [{ or: [a1, c1] }, e1] }],
  [":amount: > 1 and :currency: = 'USD' or :customer_email: like '%@x.io'", { or: [{ and: [a1, c1] }, e1] }],
  [":amount: > 1 and :currency: = 'USD' and :customer_email: like '%@x.io'", { and: [a1, c1, e1] }],
  ["(:amount: > 1 and :currency: = 'USD') and :customer_email: like '%@x.io'", { and: [{ and: [a1, c1] }, e1] }],
  ["not :amount: > 1 and :currency: = 'USD'", { and: [{ not: a1 }, c1] }],
  ["not (:amount: > 1 and :currency: = 'USD')", { not: { and: [a1, c1] } }],
  ["not not :amount: > 1", { not: { not: a1 } }],
  ["((:amount: > 1))", a1],
  // keywords in any case; no space needed between tokens; any whitespace between them
  [":currency: IN ('USD') AND NOT :amount: > 1 Or :customer_email: LIKE '%@x.io'", {
    or: [{ and: [{ attribute: "currency", op: "in", values: ["USD"] }, { not: a1 }] }, e1],
  }],
  [":currency: NOT IN ('USD') and :currency: Not_In ('EUR')", {
    and: [{ attribute: "currency", op: "not_in", values: ["USD"] }, { attribute: "currency", op: "not_in", values: ["EUR"] }],
  }],
  [":amount:>1and:currency:='USD'", { and: [a1, c1] }],
  ["\n  :amount: > 1\r\n\tand :currency: = 'USD'  \n", { and: [a1, c1] }],
];

describe("a valid rule", () => {
  it.each(VALID)("%s", (text, predicate) => {
    expect(parseRule(text)).toEqual(predicate);
  });

  it("is plain JSON: stored and read back, it is the same predicate", () => {
    for (const [text] of VALID) {
      const predicate = parseRule(text);
      expect(JSON.parse(JSON.stringify(predicate))).toEqual(predicate);
    }
  });

  // The pool lets tests generate code; a deployed Worker may not. So the test takes eval and
  // Function away, then builds the lexer and parser of a fresh copy of the module and parses.
  it("parses inside workerd without eval or new Function", async () => {
    expect(navigator.userAgent).toBe("Cloudflare-Workers");
    vi.resetModules();
    const { eval: realEval, Function: RealFunction } = globalThis;
    function refuse(): never {
      throw new EvalError("Code generation from strings disallowed for this context");
    }
    globalThis.eval = refuse;
    globalThis.Function = refuse as unknown as FunctionConstructor;
    try {
      expect(() => new Function("return 1")).toThrow(EvalError);
      const fresh = await import("../../shared/risk/rule-language");
      expect(fresh.parseRule).not.toBe(parseRule);
      expect(fresh.parseRule(":amount_in_usd: > 1000 and :customer_email_domain: in @disposable_domains")).toEqual({
        and: [
          { attribute: "amount_in_usd", op: ">", value: 1000 },
          { attribute: "customer_email_domain", op: "in", list: "disposable_domains" },
        ],
      });
      expect(() => fresh.parseRule(":amount_in_usd: > 1000 and (:amout: > 1)")).toThrow(fresh.RuleSyntaxError);
    } finally {
      globalThis.eval = realEval;
      globalThis.Function = RealFunction;
    }
  });
});

const PAYMENT_NAMES = ":amount:, :amount_in_usd:, :currency:, :payment_method:, :channel:, :customer_email:, :customer_email_domain:, :customer_ip:, :customer_country:, :customer:";
const CONDITION_HINT = "a condition is :attribute: operator value, not condition, or ( condition )";
const OPERATORS_HINT = "the operators are =, !=, <, >, <=, >=, in, not_in and like";
const LONG_KEY = `::${"k".repeat(41)}::`;

// [rule, message, offset, line, column]
const ERRORS: Array<[string, string, number, number, number]> = [
  [":amout: > 1000", "Unknown attribute :amout: at line 1, column 1; did you mean :amount:?", 0, 1, 1],
  [":AMOUNT_IN_USD: > 1", "Unknown attribute :AMOUNT_IN_USD: at line 1, column 1; did you mean :amount_in_usd:?", 0, 1, 1],
  [":total_charges_per_email_hourly: > 5", "Unknown attribute :total_charges_per_email_hourly: at line 1, column 1; did you mean :total_payments_per_email_hourly:?", 0, 1, 1],
  [":amount: > 1 and :risk_level: = 'highest'", `Unknown attribute :risk_level: at line 1, column 18; the attributes are ${PAYMENT_NAMES}, the velocity counters such as :total_payments_per_email_hourly:, and metadata ::key::`, 17, 1, 18],
  [`${LONG_KEY} = 'x'`, `Metadata key ${LONG_KEY} is longer than 40 characters at line 1, column 1`, 0, 1, 1],
  [":currency: > 'USD'", "Operator > compares numbers, but :currency: is a string at line 1, column 12; use =, !=, in, not_in or like", 11, 1, 12],
  ["::tier:: <= 'gold'", "Operator <= compares numbers, but ::tier:: is a string at line 1, column 10; use =, !=, in, not_in or like", 9, 1, 10],
  [":amount: like '1%'", "Operator like matches strings, but :amount: is a number at line 1, column 10; use =, !=, <, >, <=, >=, in or not_in", 9, 1, 10],
  [":amount: > '1000'", "Expected a number for :amount: but found '1000' at line 1, column 12; write numbers without quotes", 11, 1, 12],
  [":currency: = 840", "Expected a string for :currency: but found 840 at line 1, column 14; quote it: '840'", 13, 1, 14],
  [":amount: in (1, 'two')", "Expected a number for :amount: but found 'two' at line 1, column 17; write numbers without quotes", 16, 1, 17],
  [":customer_country: in 'US'", "Expected a value list such as ('US', 'CA') or a list such as @blocked_emails after in but found 'US' at line 1, column 23", 22, 1, 23],
  [":customer_country: in ()", "Empty value list at line 1, column 23; put at least one value between ( and )", 22, 1, 23],
  [":customer_country: in ('US' 'CA')", "Expected , or ) in the value list but found 'CA' at line 1, column 29", 28, 1, 29],
  [":customer_country: in ('US',)", "Expected a number or a string after , but found ) at line 1, column 29", 28, 1, 29],
  [":customer_email: = @blocked", "Expected a number or a string after = but found @blocked at line 1, column 20", 19, 1, 20],
  [":amount: in @big_ones", "Lists hold strings, but :amount: is a number at line 1, column 13; compare it with a value list, e.g. in (1, 2)", 12, 1, 13],
  [":customer_email: in @Blocked", "Invalid list name @Blocked at line 1, column 21; a list name is 1 to 40 of a-z, 0-9 and _", 20, 1, 21],
  [":customer_email: in @", "Invalid list name @ at line 1, column 21; a list name is 1 to 40 of a-z, 0-9 and _", 20, 1, 21],
  [":currency: not 'USD'", "Expected in after not but found 'USD' at line 1, column 16", 15, 1, 16],
  [":amount: > 5 :currency: = 'USD'", "Expected and, or or the end of the rule but found :currency: at line 1, column 14", 13, 1, 14],
  [":amount: > 1000 andd :currency: = 'USD'", "Expected and, or or the end of the rule but found andd at line 1, column 17", 16, 1, 17],
  ["(:amount: > 5 :currency: = 'USD')", "Expected and, or or ) but found :currency: at line 1, column 15", 14, 1, 15],
  ["(:amount: > 5 and :currency: = 'USD'", "Unclosed ( at line 1, column 1; close it with )", 0, 1, 1],
  [":amount: > 5 and ((:currency: = 'USD')", "Unclosed ( at line 1, column 18; close it with )", 17, 1, 18],
  [":amount: > 5)", "Unmatched ) at line 1, column 13; no ( before it is still open", 12, 1, 13],
  [":currency: = 'USD", "Unterminated string at line 1, column 14; close it with ' on the same line", 13, 1, 14],
  [':currency: = "USD\n"', 'Unterminated string at line 1, column 14; close it with " on the same line', 13, 1, 14],
  ["::note:: = 'a\\nb'", "Unknown escape \\n in a string at line 1, column 14; a string escapes only \\', \\\" and \\\\", 13, 1, 14],
  [":amount:", `Expected an operator after :amount: but the rule ends at line 1, column 9; ${OPERATORS_HINT}`, 8, 1, 9],
  [":amount: and :currency: = 'USD'", `Expected an operator after :amount: but found and at line 1, column 10; ${OPERATORS_HINT}`, 9, 1, 10],
  [":amount: == 5", "Expected a number or a string after = but found = at line 1, column 11", 10, 1, 11],
  [":amount: >", "Expected a number or a string after > but the rule ends at line 1, column 11", 10, 1, 11],
  [":amount: > 5 and", `Expected a condition after and but the rule ends at line 1, column 17; ${CONDITION_HINT}`, 16, 1, 17],
  ["> 5", `Expected a condition but found > at line 1, column 1; ${CONDITION_HINT}`, 0, 1, 1],
  ["amount > 5", `Expected a condition but found amount at line 1, column 1; ${CONDITION_HINT}`, 0, 1, 1],
  [":amount > 5", "Malformed attribute :amount at line 1, column 1; write :name: for an attribute and ::key:: for a metadata key", 0, 1, 1],
  ["::tier: = 'x'", "Malformed attribute ::tier: at line 1, column 1; write :name: for an attribute and ::key:: for a metadata key", 0, 1, 1],
  [":amount: > $5", "Unexpected character $ at line 1, column 12", 11, 1, 12],
  [":amount: > 1.1234567", "Number 1.1234567 has more than 6 decimal places at line 1, column 12", 11, 1, 12],
  [":amount: > 9007199254740992", "Number 9007199254740992 is too large at line 1, column 12; the largest is 9007199254740991", 11, 1, 12],
  ["   ", "Empty rule at line 1, column 1; write a condition such as :amount_in_usd: > 1000", 0, 1, 1],
  // lines count \n, \r\n and \r; columns restart after each
  ["  :amount: > 1000\n  and :currency: > 'USD'", "Operator > compares numbers, but :currency: is a string at line 2, column 18; use =, !=, in, not_in or like", 35, 2, 18],
  ["\r\n:amount: > 'x'", "Expected a number for :amount: but found 'x' at line 2, column 12; write numbers without quotes", 13, 2, 12],
  [":amount: > 1\rand\r\n:amout: > 2", "Unknown attribute :amout: at line 3, column 1; did you mean :amount:?", 18, 3, 1],
];

describe("a refused rule", () => {
  it.each(ERRORS)("%j", (text, message, offset, line, column) => {
    let error: unknown;
    try {
      parseRule(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RuleSyntaxError);
    expect(error).toMatchObject({ name: "RuleSyntaxError", message, offset, line, column });
  });

  it("is refused at the first fault, left to right", () => {
    expect(() => parseRule(":amout: > 'x' and :currency: > 1")).toThrow("Unknown attribute :amout: at line 1, column 1");
    expect(() => parseRule(":amount: > 'x' and :currency: > 1")).toThrow("Expected a number for :amount: but found 'x' at line 1, column 12");
  });

  it("leaves the parser ready for the next rule", () => {
    expect(() => parseRule("(:amount: > 1 :currency: = 'USD')")).toThrow(RuleSyntaxError);
    expect(() => parseRule("not not (:amout: > 1)")).toThrow(RuleSyntaxError);
    expect(parseRule("not not (:amount: > 1)")).toEqual({ not: { not: a1 } });
  });
});

describe("the limits", () => {
  const refusal = (text: string) => {
    try {
      parseRule(text);
    } catch (e) {
      return e as RuleSyntaxError;
    }
    throw new Error(`parsed: ${text}`);
  };

  it("takes 2000 characters and refuses 2001 at the first one over", () => {
    expect(parseRule(":amount: > 1".padEnd(2000))).toEqual(a1);
    expect(refusal(":amount: > 1".padEnd(2001))).toMatchObject({
      message: "Rule longer than 2000 characters at line 1, column 2001; it has 2001",
      offset: 2000,
      line: 1,
      column: 2001,
    });
  });

  it("takes 20 parentheses or nots around a comparison and refuses the 21st", () => {
    expect(parseRule(`${"(".repeat(20)}:amount: > 1${")".repeat(20)}`)).toEqual(a1);
    expect(parseRule(`${"not (".repeat(10)}:amount: > 1${")".repeat(10)}`)).toMatchObject({ not: { not: { not: {} } } });
    expect(refusal(`${"(".repeat(21)}:amount: > 1${")".repeat(21)}`)).toMatchObject({
      message: "Nesting deeper than 20 at line 1, column 21; count the parentheses and nots around a comparison",
      offset: 20,
    });
    expect(refusal(`${"not ".repeat(21)}:amount: > 1`)).toMatchObject({ offset: 80, column: 81 });
    // depth, not count: 30 groups side by side nest one deep each
    expect(() => parseRule(Array(30).fill("(:amount: > 1)").join(" or "))).not.toThrow();
  });

  it("takes 50 comparisons and refuses the 51st at its attribute", () => {
    const fifty = Array(50).fill(":amount: > 1").join(" and ");
    expect(parseRule(fifty)).toEqual({ and: Array(50).fill(a1) });
    expect(refusal(`${fifty} and :amount: > 1`)).toMatchObject({
      message: "More than 50 comparisons at line 1, column 851; a rule holds at most that many",
      offset: 850,
    });
  });
});

describe("attributesOf and listsOf", () => {
  const predicate = parseRule(
    ":amount: > 5 and (:customer_email: in @blocked_emails or not :customer_email_domain: in @disposable) and :amount: < 10 and ::tier:: not_in @blocked_emails and :total_payments_per_ip_daily: > 3",
  );

  it("name each attribute and list once, in the order written", () => {
    expect(attributesOf(predicate)).toEqual(["amount", "customer_email", "customer_email_domain", "::tier::", "total_payments_per_ip_daily"]);
    expect(listsOf(predicate)).toEqual(["blocked_emails", "disposable"]);
  });

  it("find no lists in a rule without any", () => {
    expect(listsOf(parseRule(":currency: in ('USD')"))).toEqual([]);
  });
});

describe("the attribute catalogue", () => {
  it("holds the payment's 10 attributes and 54 velocity counters, each once, each described", () => {
    expect(ATTRIBUTES).toHaveLength(64);
    expect(new Set(ATTRIBUTES.map((a) => a.name)).size).toBe(64);
    expect(ATTRIBUTES.filter((a) => velocityCounterOf(a.name))).toHaveLength(54);
    for (const a of ATTRIBUTES) expect(a.description).toMatch(/^[A-Z].*\.$/);
  });

  it("makes velocity counters and amounts numbers, the rest strings", () => {
    const numbers = ATTRIBUTES.filter((a) => a.type === "number").map((a) => a.name);
    expect(numbers).toEqual(["amount", "amount_in_usd", ...ATTRIBUTES.filter((a) => velocityCounterOf(a.name)).map((a) => a.name)]);
    expect(attributeTypeOf("::any.key-1::")).toBe("string");
    expect(attributeTypeOf(`::${"k".repeat(41)}::`)).toBeUndefined();
    expect(attributeTypeOf("::::")).toBeUndefined();
    expect(attributeTypeOf("risk_level")).toBeUndefined();
  });

  it("is what the parser accepts: each attribute takes a value of its type and refuses the other", () => {
    for (const { name, type } of ATTRIBUTES) {
      const [good, bad] = type === "number" ? ["1", "'1'"] : ["'1'", "1"];
      expect(parseRule(`:${name}: = ${good}`)).toEqual({ attribute: name, op: "=", value: type === "number" ? 1 : "1" });
      expect(() => parseRule(`:${name}: = ${bad}`)).toThrow(`Expected a ${type} for :${name}:`);
    }
  });

  it.each([
    ["total_payments_per_email_hourly", { kind: "total", measure: "count", dimension: "email", window: "hourly" }],
    ["failed_payments_per_ip_daily", { kind: "failed", measure: "count", dimension: "ip", window: "daily" }],
    ["blocked_amount_in_usd_per_customer_weekly", { kind: "blocked", measure: "amount", dimension: "customer", window: "weekly" }],
    ["total_amount_in_usd_per_email_daily", { kind: "total", measure: "amount", dimension: "email", window: "daily" }],
    ["amount_in_usd", null],
    ["total_charges_per_email_hourly", null],
    ["total_payments_per_email_monthly", null],
    ["total_payments_per_card_hourly", null],
    ["xtotal_payments_per_email_hourly", null],
    ["total_payments_per_email_hourly_", null],
  ])("velocityCounterOf(%s)", (name, counter) => {
    expect(velocityCounterOf(name)).toEqual(counter);
  });
});

// Predicates as rules can state them: and / or with two or more operands, values of the
// attribute's type, strings of any characters a quote can hold, numbers of up to 6 decimals.
const numberAttribute = fc.constantFrom("amount", "amount_in_usd", "failed_payments_per_ip_hourly", "total_amount_in_usd_per_customer_weekly");
const stringAttribute = fc.constantFrom("currency", "customer_email", "customer", "::tier::", "::Shop.region-1::");
const number = fc.oneof(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 10_000_000_000 }).map((n) => n / 1_000_000));
const text = fc.string({ unit: fc.constantFrom("a", "Z", "0", " ", "'", '"', "\\", "%", "_", "é", "😀", "(", ")", ":", "@"), maxLength: 8 });
const comparison: fc.Arbitrary<Predicate> = fc.oneof(
  fc.record({ attribute: numberAttribute, op: fc.constantFrom("=", "!=", "<", ">", "<=", ">=" as const), value: number }),
  fc.record({ attribute: stringAttribute, op: fc.constantFrom("=", "!=", "like" as const), value: text }),
  fc.record({ attribute: numberAttribute, op: fc.constantFrom("in", "not_in" as const), values: fc.array(number, { minLength: 1, maxLength: 3 }) }),
  fc.record({ attribute: stringAttribute, op: fc.constantFrom("in", "not_in" as const), values: fc.array(text, { minLength: 1, maxLength: 3 }) }),
  fc.record({ attribute: stringAttribute, op: fc.constantFrom("in", "not_in" as const), list: fc.stringMatching(/^[a-z0-9_]{1,40}$/) }),
);
const { predicate: arbitraryPredicate } = fc.letrec<{ predicate: Predicate; and: Predicate; or: Predicate; not: Predicate }>((tie) => ({
  predicate: fc.oneof({ maxDepth: 4, depthIdentifier: "predicate" }, comparison, tie("and"), tie("or"), tie("not")),
  and: fc.array(tie("predicate"), { minLength: 2, maxLength: 3 }).map((and) => ({ and })),
  or: fc.array(tie("predicate"), { minLength: 2, maxLength: 3 }).map((or) => ({ or })),
  not: tie("predicate").map((not) => ({ not })),
}));

const comparisons = (p: Predicate): number =>
  "and" in p ? p.and.reduce((n, q) => n + comparisons(q), 0) : "or" in p ? p.or.reduce((n, q) => n + comparisons(q), 0) : "not" in p ? comparisons(p.not) : 1;

describe("printRule", () => {
  it("prints any predicate as a rule that parses back to it", () => {
    fc.assert(
      fc.property(arbitraryPredicate.filter((p) => printRule(p).length <= 2000 && comparisons(p) <= 50), (predicate) => {
        expect(parseRule(printRule(predicate))).toEqual(predicate);
      }),
      { numRuns: 500 },
    );
  });

  it("prints canonically", () => {
    expect(printRule(parseRule(`NOT ( :amount:>1 OR ::tier:: Not In ('a','' , "b'") ) and :customer_ip: in @ips`))).toBe(
      "not (:amount: > 1 or ::tier:: not_in ('a', '', 'b\\'')) and :customer_ip: in @ips",
    );
  });
});

describe("any text", () => {
  const vocabulary = fc.constantFrom(":amount:", ":currency:", "::k::", ":x", ">", "=", "!=", "in", "not", "not_in", "like", "(", ")", ",", "'x'", '"y', "5", "1.5", "@l", "@", "and", "or", "$", "\n", "é");

  it("parses or is refused with a RuleSyntaxError whose position lies within it", () => {
    fc.assert(
      fc.property(fc.array(vocabulary, { maxLength: 12 }), fc.constantFrom(" ", ""), (words, gap) => {
        const rule = words.join(gap);
        try {
          parseRule(rule);
        } catch (e) {
          expect(e).toBeInstanceOf(RuleSyntaxError);
          const { offset, line, column, message } = e as RuleSyntaxError;
          expect(offset).toBeGreaterThanOrEqual(0);
          expect(offset).toBeLessThanOrEqual(rule.length);
          expect(message).toContain(`at line ${line}, column ${column}`);
          expect(line).toBe(rule.slice(0, offset).split(/\r\n?|\n/).length);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
