import { invalidRequest, notFound } from "../../../shared/errors";
import { RuleSyntaxError, parseRule, type Predicate } from "../../../shared/risk/rule-language";
import * as store from "../../../shared/risk/rules-store";
import { ownerOf } from "../../app-env";
import type { AppRouteHandler } from "../../openapi/router";
import type * as routes from "./rules.routes";
import { toRuleJson } from "./rules.schemas";

/** A predicate parsed; one that does not parse is a 400 naming where (`param`: the field that holds it). */
export function checkPredicate(predicate: string, param = "predicate"): Predicate {
  try {
    return parseRule(predicate);
  } catch (error) {
    if (error instanceof RuleSyntaxError) throw invalidRequest("rule_invalid", `Invalid ${param}: ${error.message}`, param);
    throw error;
  }
}

/** Adds a rule for `owner` (a merchant's, or the platform's), its predicate checked first. */
export async function addRule(env: Env, owner: store.RuleOwner, body: Parameters<typeof store.createRule>[2]) {
  checkPredicate(body.predicate);
  if ((await store.countRules(env, owner)) >= store.MAX_RULES) {
    throw invalidRequest("rules_limit_reached", `At most ${store.MAX_RULES} rules per mode: remove one first.`);
  }
  return toRuleJson(await store.createRule(env, owner, body));
}

export async function changeRule(env: Env, owner: store.RuleOwner, id: string, change: Parameters<typeof store.updateRule>[3]) {
  if (change.predicate !== undefined) checkPredicate(change.predicate);
  const row = await store.updateRule(env, owner, id, change);
  if (!row) throw notFound("risk rule", id);
  return toRuleJson(row);
}

export async function removeRule(env: Env, owner: store.RuleOwner, id: string) {
  if (!(await store.deleteRule(env, owner, id))) throw notFound("risk rule", id);
  return { id, object: "risk_rule" as const, deleted: true as const };
}

export async function ruleList(env: Env, owner: store.RuleOwner) {
  return { object: "list" as const, data: (await store.listRules(env, owner)).map(toRuleJson), has_more: false };
}

export const listRules: AppRouteHandler<typeof routes.listRules> = async (c) => c.json(await ruleList(c.env, ownerOf(c.get("auth"))), 200);

export const createRule: AppRouteHandler<typeof routes.createRule> = async (c) =>
  c.json(await addRule(c.env, ownerOf(c.get("auth")), c.req.valid("json")), 201);

export const updateRule: AppRouteHandler<typeof routes.updateRule> = async (c) =>
  c.json(await changeRule(c.env, ownerOf(c.get("auth")), c.req.valid("param").id, c.req.valid("json")), 200);

export const deleteRule: AppRouteHandler<typeof routes.deleteRule> = async (c) =>
  c.json(await removeRule(c.env, ownerOf(c.get("auth")), c.req.valid("param").id), 200);
