import { allRates, upsertRates, type RateRow } from "../../../shared/risk/rates";
import { toIso } from "../../openapi/schemas";
import type { AppRouteHandler } from "../../openapi/router";
import type * as routes from "./currency-rates.routes";

const toRatesJson = (rows: RateRow[]) => ({
  object: "currency_rates" as const,
  data: rows.map((row) => ({ currency: row.currency, usd_rate: row.usdRate, updated_at: toIso(row.updatedAt) })),
});

export const putRates: AppRouteHandler<typeof routes.putRates> = async (c) =>
  c.json(toRatesJson(await upsertRates(c.env, c.req.valid("json").rates)), 200);

export const getRates: AppRouteHandler<typeof routes.getRates> = async (c) => c.json(toRatesJson(await allRates(c.env)), 200);
