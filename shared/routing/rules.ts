// Whether a rule's condition matches a payment. A fact the payment does not state (no
// payment_method, no customer_country, no such metadata key) is unknown, and an unknown fact is
// never equal to, in, or within a range of anything: eq, in and the ranges miss, ne and not_in hit.
import type { Condition, Field } from "./config";

/** What routing knows of a payment. */
export interface PaymentFacts {
  amount: number;
  currency: string;
  payment_method: string | null;
  customer_country: string | null;
  metadata: Record<string, string>;
}

function factOf(facts: PaymentFacts, field: Field): number | string | undefined {
  if (field.startsWith("metadata.")) {
    const key = field.slice("metadata.".length);
    // own keys only: "metadata.constructor" must not find Object.prototype's
    return Object.hasOwn(facts.metadata, key) ? facts.metadata[key] : undefined;
  }
  return facts[field as Exclude<Field, `metadata.${string}`>] ?? undefined;
}

export function matches(condition: Condition, facts: PaymentFacts): boolean {
  if ("all" in condition) return condition.all.every((c) => matches(c, facts));
  if ("any" in condition) return condition.any.some((c) => matches(c, facts));
  if ("not" in condition) return !matches(condition.not, facts);
  const fact = factOf(facts, condition.field);
  const { op, value } = condition;
  if (fact === undefined) return op === "ne" || op === "not_in";
  // the schema allows ranges on amount only: both sides are numbers there
  switch (op) {
    case "eq":
      return fact === value;
    case "ne":
      return fact !== value;
    case "in":
      return (value as Array<number | string>).includes(fact);
    case "not_in":
      return !(value as Array<number | string>).includes(fact);
    case "lt":
      return (fact as number) < (value as number);
    case "lte":
      return (fact as number) <= (value as number);
    case "gt":
      return (fact as number) > (value as number);
    case "gte":
      return (fact as number) >= (value as number);
  }
}
