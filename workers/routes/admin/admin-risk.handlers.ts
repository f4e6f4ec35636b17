import type { RuleOwner } from "../../../shared/risk/rules-store";
import type { AppRouteHandler } from "../../openapi/router";
import { addRule, changeRule, removeRule, ruleList } from "../risk/rules.handlers";
import type * as routes from "./admin-risk.routes";

/** The platform's rules (no merchant) in the mode the query names. */
const platform = (livemode: boolean): RuleOwner => ({ merchantId: null, livemode });

export const listRules: AppRouteHandler<typeof routes.listRules> = async (c) => c.json(await ruleList(c.env, platform(c.req.valid("query").livemode)), 200);

export const createRule: AppRouteHandler<typeof routes.createRule> = async (c) =>
  c.json(await addRule(c.env, platform(c.req.valid("query").livemode), c.req.valid("json")), 201);

export const updateRule: AppRouteHandler<typeof routes.updateRule> = async (c) =>
  c.json(await changeRule(c.env, platform(c.req.valid("query").livemode), c.req.valid("param").id, c.req.valid("json")), 200);

export const deleteRule: AppRouteHandler<typeof routes.deleteRule> = async (c) =>
  c.json(await removeRule(c.env, platform(c.req.valid("query").livemode), c.req.valid("param").id), 200);
