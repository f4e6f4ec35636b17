import { createRouter } from "../../openapi/router";
import * as evaluation from "./evaluate.handlers";
import * as evaluationRoutes from "./evaluate.routes";
import * as reviews from "./reviews.handlers";
import * as reviewRoutes from "./reviews.routes";
import * as rules from "./rules.handlers";
import * as ruleRoutes from "./rules.routes";
import * as settings from "./settings.handlers";
import * as settingsRoutes from "./settings.routes";

export const riskRouter = createRouter()
  .openapi(ruleRoutes.listRules, rules.listRules)
  .openapi(ruleRoutes.createRule, rules.createRule)
  .openapi(ruleRoutes.updateRule, rules.updateRule)
  .openapi(ruleRoutes.deleteRule, rules.deleteRule)
  .openapi(evaluationRoutes.evaluate, evaluation.evaluate)
  .openapi(reviewRoutes.listReviews, reviews.listReviews)
  .openapi(reviewRoutes.approveReview, reviews.approveReview)
  .openapi(reviewRoutes.rejectReview, reviews.rejectReview)
  .openapi(settingsRoutes.getSettings, settings.getSettings)
  .openapi(settingsRoutes.updateSettings, settings.updateSettings);
