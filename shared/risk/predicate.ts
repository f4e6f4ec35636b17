// Whether a payment's facts match a parsed rule. A fact the payment does not state (null or absent:
// no email, no such metadata key) is unknown, and an unknown fact is never equal to, in, like, or
// within a range of anything: =, in, like and the ranges miss, != and not_in hit, as in routing
// rules. Strings compare lower-cased on both sides (emails, domains, country and currency codes are
// the same in any case); lists hold their values lower-cased already (shared/risk/lists.ts).
import type { Comparison, Predicate, Value } from "./rule-language";

/** The facts a predicate reads, by attribute name (metadata as `::key::`). */
export type Facts = Record<string, string | number | null>;

/** A list's values by name; a list that does not exist is an empty one. */
export type ListLookup = (name: string) => ReadonlySet<string> | undefined;

export function evaluatePredicate(p: Predicate, facts: Facts, lists: ListLookup): boolean {
  if ("and" in p) return p.and.every((q) => evaluatePredicate(q, facts, lists));
  if ("or" in p) return p.or.some((q) => evaluatePredicate(q, facts, lists));
  if ("not" in p) return !evaluatePredicate(p.not, facts, lists);
  return compare(p, facts[p.attribute] ?? null, lists);
}

function compare(c: Comparison, fact: string | number | null, lists: ListLookup): boolean {
  if (fact === null) return c.op === "!=" || c.op === "not_in";
  if ("list" in c) return (lists(c.list)?.has(text(c, fact)) ?? false) === (c.op === "in");
  if ("values" in c) return c.values.some((v) => equal(c, fact, v)) === (c.op === "in");
  switch (c.op) {
    case "=":
      return equal(c, fact, c.value);
    case "!=":
      return !equal(c, fact, c.value);
    case "like":
      return like(text(c, c.value), text(c, fact));
    case "<":
      return number(c, fact) < (c.value as number);
    case "<=":
      return number(c, fact) <= (c.value as number);
    case ">":
      return number(c, fact) > (c.value as number);
    case ">=":
      return number(c, fact) >= (c.value as number);
  }
}

// The parser matched each value's type to its attribute's; a fact of the other type is the
// caller's mistake, said loudly rather than read as a miss.
function equal(c: Comparison, fact: string | number, value: Value): boolean {
  return typeof value === "number" ? number(c, fact) === value : text(c, fact) === value.toLowerCase();
}

function number(c: Comparison, fact: string | number): number {
  if (typeof fact !== "number") throw new TypeError(`The fact ${c.attribute} must be a number, not ${JSON.stringify(fact)}`);
  return fact;
}

function text(c: Comparison, fact: string | number): string {
  if (typeof fact !== "string") throw new TypeError(`The fact ${c.attribute} must be a string, not ${fact}`);
  return fact.toLowerCase();
}

/**
 * SQL LIKE over code points: `%` any run, `_` one character, everything else itself. Matched by
 * walking both strings, backing up only to the last `%`, so time stays within pattern × text
 * however many `%`s a rule holds (a regular expression's backtracking grows with each one).
 */
function like(pattern: string, value: string): boolean {
  const p = Array.from(pattern);
  const v = Array.from(value);
  let i = 0;
  let j = 0;
  let star = -1;
  let resume = 0;
  while (j < v.length) {
    if (i < p.length && (p[i] === "_" || (p[i] !== "%" && p[i] === v[j]))) {
      i++;
      j++;
    } else if (i < p.length && p[i] === "%") {
      star = i++;
      resume = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++resume;
    } else {
      return false;
    }
  }
  while (p[i] === "%") i++;
  return i === p.length;
}
