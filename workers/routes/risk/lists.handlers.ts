import { invalidRequest, notFound } from "../../../shared/errors";
import * as lists from "../../../shared/risk/lists";
import { ownerOf } from "../../app-env";
import { toIso } from "../../openapi/schemas";
import type { AppRouteHandler } from "../../openapi/router";
import type * as routes from "./lists.routes";

const toItemJson = (row: Pick<lists.ListItemRow, "list" | "value" | "createdAt">) => ({
  object: "risk_list_item" as const,
  list: row.list,
  value: row.value,
  created_at: toIso(row.createdAt),
});

export const listLists: AppRouteHandler<typeof routes.listLists> = async (c) => {
  const rows = await lists.listsOf(c.env, ownerOf(c.get("auth")));
  const data = rows.map((row) => ({ object: "risk_list" as const, name: row.name, item_count: row.itemCount }));
  return c.json({ object: "list" as const, data, has_more: false }, 200);
};

export const listItems: AppRouteHandler<typeof routes.listItems> = async (c) => {
  const q = c.req.valid("query");
  const page = await lists.listItems(c.env, ownerOf(c.get("auth")), c.req.valid("param").name, {
    limit: q.limit,
    startingAfter: q.starting_after,
    endingBefore: q.ending_before,
  });
  return c.json({ object: "list" as const, data: page.data.map(toItemJson), has_more: page.hasMore }, 200);
};

export const addItems: AppRouteHandler<typeof routes.addItems> = async (c) => {
  const owner = ownerOf(c.get("auth"));
  const { name } = c.req.valid("param");
  const body = c.req.valid("json");
  if (body.value !== undefined && body.values !== undefined) {
    throw invalidRequest("parameter_invalid", "Give value (one) or values (many), not both.", "values");
  }
  if (body.values !== undefined) {
    const { added, alreadyPresent } = await lists.addListValues(c.env, owner, name, body.values);
    return c.json({ object: "risk_list_import" as const, list: name, added, already_present: alreadyPresent }, 200);
  }
  if (body.value === undefined) {
    throw invalidRequest("parameter_missing", `Missing required parameter: value (or values, up to ${lists.MAX_IMPORT_VALUES}).`, "value");
  }
  const now = Date.now();
  const { added } = await lists.addListValues(c.env, owner, name, [body.value], now);
  if (added) return c.json(toItemJson({ list: name, value: body.value, createdAt: now }), 201);
  const row = await lists.findListItem(c.env, owner, name, body.value);
  // removed between the two statements: as if it had been added then removed
  if (!row) throw notFound(`value in list ${name}`, body.value);
  return c.json(toItemJson(row), 200);
};

export const deleteItem: AppRouteHandler<typeof routes.deleteItem> = async (c) => {
  const { name, value } = c.req.valid("param");
  if (!(await lists.removeListValue(c.env, ownerOf(c.get("auth")), name, value))) throw notFound(`value in list ${name}`, value);
  return c.json({ object: "risk_list_item" as const, list: name, value, deleted: true as const }, 200);
};
