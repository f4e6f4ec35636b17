import type { z } from "@hono/zod-openapi";
import { paymentNoFor } from "../../../shared/payments/payment-no";
import { assessRisk, type ParsedRule } from "../../../shared/risk/assess";
import { riskJson } from "../../../shared/risk/risk-json";
import { ownerOf } from "../../app-env";
import type { AppRouteHandler } from "../../openapi/router";
import { riskAskOf } from "../payments/payment-outcome";
import { resolvePaymentRoute } from "../payments/payment-route";
import type * as routes from "./evaluate.routes";
import { checkPredicate } from "./rules.handlers";

type InlineRule = NonNullable<z.infer<typeof routes.EvaluateRiskBody>["rules"]>[number];

/** Inline rules parsed, each named by its place in `rules`, as its errors name it. */
const parsedInline = (rules: InlineRule[]): ParsedRule[] =>
  rules.map((rule, i) => ({
    id: `rules[${i}]`,
    name: rule.name,
    action: rule.action,
    shadow: rule.shadow,
    platform: false,
    position: i,
    predicate: checkPredicate(rule.predicate, `rules[${i}].predicate`),
  }));

export const evaluate: AppRouteHandler<typeof routes.evaluate> = async (c) => {
  const body = c.req.valid("json");
  const auth = c.get("auth");
  const own = body.rules && parsedInline(body.rules);
  const paymentNo = body.order_no === undefined ? null : await paymentNoFor(auth.merchant.id, auth.livemode, body.order_no);
  const route = await resolvePaymentRoute(c.env, auth, body, paymentNo);
  const { decision, facts } = await assessRisk(c.env, ownerOf(auth), riskAskOf(body, route.channel), Date.now(), own);
  return c.json({ object: "risk_evaluation" as const, ...riskJson(decision), facts }, 200);
};
