// Assesses a payment before any channel is called: the platform's rules and the merchant's, the
// facts they name (the payment's own, its amount in USD, the velocity counters of its email, IP
// and customer, the lists) gathered in one parallel fan-out, then the decision. The built-in rules
// (builtin-rules.ts) join unless the merchant switched them off: their card-testing guard reads the
// email's and IP's counters in that same fan-out. A merchant with no rules and the built-in ones off
// pays three cached reads and nothing else.
import type { Owner } from "../payments/payment";
import { velocityCounterOf } from "./attributes";
import { builtinRules } from "./builtin-rules";
import { decide, type RiskDecision, type RuleRef } from "./decision";
import { counterStub, type CounterDimension } from "./counter-stub";
import { listsFor } from "./lists";
import { evaluatePredicate, type Facts } from "./predicate";
import { usdCents } from "./rates";
import { attributesOf, listsOf, parseRule, type Predicate } from "./rule-language";
import { cachedRules, type RiskRuleRow } from "./rules-store";
import { cachedRiskSettings } from "./settings";

/** What the rules may read of a payment, as its create states it. */
export interface RiskAsk {
  amount: number;
  currency: string;
  paymentMethod: string | null;
  channel: string;
  customerEmail: string | null;
  customerName: string | null;
  customerIp: string | null;
  customerCountry: string | null;
  metadata: Record<string, string>;
}

/** A rule ready to be tried: stored ones are parsed here, a dry run's inline ones by its handler. */
export type ParsedRule = RuleRef & { predicate: Predicate };

/** Parsed predicates by rule id and version: a rule is parsed once per isolate until it changes. */
const parsed = new Map<string, Predicate>();
const MAX_PARSED = 10_000;

function parsedRule(row: RiskRuleRow): ParsedRule {
  const key = `${row.id}:${row.updatedAt}`;
  let predicate = parsed.get(key);
  if (!predicate) {
    // stored only once it parsed (rules-store's callers check it)
    predicate = parseRule(row.predicate);
    if (parsed.size >= MAX_PARSED) parsed.delete(parsed.keys().next().value!);
    parsed.set(key, predicate);
  }
  return { id: row.id, name: row.name, action: row.action, shadow: row.shadow, platform: row.merchantId === null, position: row.position, predicate };
}

type Buyer = { customerEmail: string | null; customerName: string | null; customerIp?: string | null };

/** The value a velocity dimension counts by, normalised as the counters key it; null when the payment has none. */
export function dimensionValue(ask: Buyer, dimension: CounterDimension): string | null {
  const value = dimension === "email" ? ask.customerEmail : dimension === "ip" ? (ask.customerIp ?? null) : (ask.customerEmail ?? ask.customerName);
  return value?.trim().toLowerCase() || null;
}

/**
 * The counter a dimension reads: a customer known by email is that email's counter (the same
 * payments, counted once), else the customer's name's own; null when the payment has neither.
 */
export function counterKeyOf(ask: Buyer, dimension: CounterDimension): { dimension: CounterDimension; value: string } | null {
  const value = dimensionValue(ask, dimension);
  if (value === null) return null;
  const byEmail = dimension === "customer" && dimensionValue(ask, "email") !== null;
  return { dimension: byEmail ? "email" : dimension, value };
}

/** The facts the rules name, gathered at once. */
async function factsFor(env: Env, owner: Owner, ask: RiskAsk, attributes: Set<string>): Promise<Record<string, string | number | null>> {
  const email = ask.customerEmail?.trim().toLowerCase() ?? null;
  const facts: Record<string, string | number | null> = {
    amount: ask.amount,
    currency: ask.currency,
    payment_method: ask.paymentMethod,
    channel: ask.channel,
    customer_email: email,
    customer_email_domain: email?.includes("@") ? email.slice(email.lastIndexOf("@") + 1) : null,
    customer_ip: ask.customerIp,
    customer_country: ask.customerCountry,
    customer: dimensionValue(ask, "customer"),
  };
  for (const [key, value] of Object.entries(ask.metadata)) facts[`::${key}::`] = value;
  // each counter once, however many dimensions lead to it
  const keys = new Map<string, { dimension: CounterDimension; value: string }>();
  for (const attribute of attributes) {
    const counter = velocityCounterOf(attribute);
    const key = counter && counterKeyOf(ask, counter.dimension);
    if (key) keys.set(`${key.dimension}:${key.value}`, key);
  }
  const [usd, ...windows] = await Promise.all([
    // wanted even when no rule reads it: the velocity sums count every assessed payment in USD
    usdCents(env, ask.amount, ask.currency),
    ...[...keys].map(async ([name, key]) => ({ name, figures: await (await counterStub(env, owner.merchantId, owner.livemode, key.dimension, key.value)).read() })),
  ]);
  // in dollars, as Radar states it; cents in, so a rule compares whole and fractional dollars alike
  facts.amount_in_usd = usd === null ? null : usd / 100;
  for (const attribute of attributes) {
    const counter = velocityCounterOf(attribute);
    if (!counter) continue;
    const key = counterKeyOf(ask, counter.dimension);
    const figures = key && windows.find((w) => w.name === `${key.dimension}:${key.value}`)?.figures[counter.window];
    if (!figures) facts[attribute] = null;
    // counters keep cents; rules read dollars, as :amount_in_usd:
    else facts[attribute] = counter.measure === "count" ? figures[counter.kind] : figures[`${counter.kind}_amount_in_usd`] / 100;
  }
  return facts;
}

/**
 * The decision for a payment (the platform's rules and then the owner's, in Radar's order), its
 * amount in US cents when a rule needed it (the velocity sums count it), and the facts the rules
 * read (the dry run shows them). `ownRules` replaces the owner's stored rules (a dry run's inline ones).
 */
export async function assessRisk(
  env: Env,
  owner: Owner,
  ask: RiskAsk,
  now = Date.now(),
  ownRules?: ParsedRule[],
): Promise<{ decision: RiskDecision; amountUsdCents: number | null; facts: Facts }> {
  const [platform, own, settings] = await Promise.all([
    cachedRules(env, { merchantId: null, livemode: owner.livemode }, now).then((rows) => rows.map(parsedRule)),
    ownRules ?? cachedRules(env, { merchantId: owner.merchantId, livemode: owner.livemode }, now).then((rows) => rows.map(parsedRule)),
    cachedRiskSettings(env, owner, now),
  ]);
  const rules = [...platform, ...(settings.builtinRules ? builtinRules(owner.livemode) : []), ...own];
  if (rules.length === 0) return { decision: decide([], () => false, now), amountUsdCents: null, facts: {} };
  const attributes = new Set(rules.flatMap((r) => attributesOf(r.predicate)));
  const [facts, lists] = await Promise.all([
    factsFor(env, owner, ask, attributes),
    listsFor(env, owner, [...new Set(rules.flatMap((r) => listsOf(r.predicate)))]),
  ]);
  const decision = decide(rules, (rule) => evaluatePredicate(rule.predicate, facts, (name) => lists.get(name)), now);
  const usd = facts.amount_in_usd;
  return {
    decision,
    amountUsdCents: typeof usd === "number" ? Math.round(usd * 100) : null,
    facts: Object.fromEntries([...attributes].map((name) => [name, facts[name] ?? null])),
  };
}
