// The risk dry run: what the rules would decide for a payment with these facts, each rule's result,
// and the facts they read; the stored rules, or ones given inline to try before storing them.
import { createRoute, z } from "@hono/zod-openapi";
import { checkAmountCeiling } from "../../../shared/money/amount";
import { MAX_RULES } from "../../../shared/risk/rules-store";
import { bearerSecurity, errorResponses, idempotencyHeaders, jsonBody, jsonContent } from "../../openapi/route-helpers";
import { CreatePaymentBody } from "../payments/payments.schemas";
import { RiskSchema, RuleBody } from "./rules.schemas";

const payment = CreatePaymentBody.shape;

const InlineRuleSchema = z
  .strictObject({ name: RuleBody.shape.name, action: RuleBody.shape.action, predicate: RuleBody.shape.predicate, shadow: RuleBody.shape.shadow })
  .openapi("RiskInlineRule", { description: "A rule as a create of one takes it; its place in `rules` is its position." });

export const EvaluateRiskBody = z
  .strictObject({
    order_no: payment.order_no.optional().openapi({ description: "Fixes a routing split's leg, as the payment_no a create derives from it would." }),
    amount: payment.amount,
    currency: payment.currency,
    payment_method: payment.payment_method,
    channel: payment.channel,
    customer_email: payment.customer_email,
    customer_name: payment.customer_name,
    customer_ip: payment.customer_ip,
    customer_country: payment.customer_country,
    metadata: payment.metadata,
    rules: z
      .array(InlineRuleSchema)
      .max(MAX_RULES, `must hold at most ${MAX_RULES} rules`)
      .optional()
      .openapi({
        description:
          "Tried instead of your stored rules (the platform's still come first), each checked as a create checks it. " +
          "The answer names them by their place: `rules[0]`, `rules[1]`, …",
      }),
  })
  .superRefine(checkAmountCeiling)
  .openapi("RiskEvaluateRequest", { description: "The facts of a payment, as POST /api/v1/payments takes them, and optionally rules to try." });

const FactsSchema = z.record(z.string(), z.union([z.number(), z.string()]).nullable()).openapi({
  description:
    "What the rules read, by attribute (metadata as `::key::`): the payment's own facts, :amount_in_usd: in dollars, and the " +
    "velocity counters as they stand (this payment not counted). null: the payment states none (no email, no rate for its currency).",
  example: { amount: 5000, amount_in_usd: 50, total_payments_per_email_hourly: 2 },
});

export const RiskEvaluationSchema = RiskSchema.extend({ object: z.literal("risk_evaluation"), facts: FactsSchema }).openapi("RiskEvaluation");

export const evaluate = createRoute({
  method: "post",
  path: "/api/v1/risk/evaluate",
  tags: ["Risk"],
  summary: "Dry run: what the risk rules would decide for a payment with these facts, each rule's result, and what they read",
  description:
    "Assesses the payment as a create would, on the channel it names or else the one routing would choose (the 400s a " +
    "create would get included). Nothing is stored and no velocity counter moves: counters count payments, not dry runs.",
  security: bearerSecurity,
  request: { headers: idempotencyHeaders, ...jsonBody(EvaluateRiskBody) },
  responses: {
    200: jsonContent(RiskEvaluationSchema, "The decision, every rule tried (shadow ones included) with whether it matched, and the facts."),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});
