import { readRiskSettings, writeRiskSettings, type RiskSettings } from "../../../shared/risk/settings";
import { ownerOf } from "../../app-env";
import { toIsoOrNull } from "../../openapi/schemas";
import type { AppRouteHandler } from "../../openapi/router";
import type * as routes from "./settings.routes";

const toSettingsJson = (livemode: boolean, settings: RiskSettings) => ({
  object: "risk_settings" as const,
  livemode,
  builtin_rules: settings.builtinRules,
  updated_at: toIsoOrNull(settings.updatedAt),
});

export const getSettings: AppRouteHandler<typeof routes.getSettings> = async (c) => {
  const owner = ownerOf(c.get("auth"));
  return c.json(toSettingsJson(owner.livemode, await readRiskSettings(c.env, owner)), 200);
};

export const updateSettings: AppRouteHandler<typeof routes.updateSettings> = async (c) => {
  const owner = ownerOf(c.get("auth"));
  const { builtin_rules } = c.req.valid("json");
  return c.json(toSettingsJson(owner.livemode, await writeRiskSettings(c.env, owner, { builtinRules: builtin_rules })), 200);
};
