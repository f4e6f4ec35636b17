import { createRoute, z } from "@hono/zod-openapi";
import { ListNameSchema, ListValueSchema, MAX_IMPORT_VALUES } from "../../../shared/risk/lists";
import { listOf, listQuery } from "../../openapi/list";
import { bearerSecurity, errorResponses, idempotencyHeaders, jsonBody, jsonContent } from "../../openapi/route-helpers";
import { isoTime } from "../../openapi/schemas";

const tags = ["Risk"];
const listParams = z.object({ name: ListNameSchema });
const itemParams = listParams.extend({ value: ListValueSchema.openapi({ description: "URL-encoded; trimmed and lower-cased before it is looked up." }) });

export const ListItemSchema = z
  .object({
    object: z.literal("risk_list_item"),
    list: z.string().openapi({ example: "blocked_emails" }),
    value: z.string().openapi({ example: "fraudster@example.com" }),
    created_at: isoTime,
  })
  .openapi("RiskListItem");

const ListSummarySchema = z
  .object({
    object: z.literal("risk_list"),
    name: z.string().openapi({ example: "blocked_emails" }),
    item_count: z.number().int().openapi({ example: 42 }),
  })
  .openapi("RiskList");

const ImportSchema = z
  .object({
    object: z.literal("risk_list_import"),
    list: z.string().openapi({ example: "blocked_emails" }),
    added: z.number().int().openapi({ description: "Values the list did not hold before." }),
    already_present: z.number().int().openapi({ description: "Values it held already (a value given twice counts here the second time)." }),
  })
  .openapi("RiskListImport");

export const AddItemsBody = z
  .strictObject({
    value: ListValueSchema.optional().openapi({ description: "One value to add." }),
    values: z
      .array(ListValueSchema)
      .min(1, "must hold at least one value")
      .max(MAX_IMPORT_VALUES, `must hold at most ${MAX_IMPORT_VALUES} values`)
      .optional()
      .openapi({ description: `Up to ${MAX_IMPORT_VALUES} values to add at once (bulk import).` }),
  })
  .openapi("RiskListItemsRequest", { description: "Either `value` or `values`." });

export const listLists = createRoute({
  method: "get",
  path: "/api/v1/risk/lists",
  tags,
  summary: "The risk lists (the key's mode) with how many values each holds, by name",
  description: "A list exists while it holds a value.",
  security: bearerSecurity,
  responses: {
    200: jsonContent(listOf(ListSummarySchema, "RiskListList"), "Every list (has_more is always false)."),
    401: errorResponses[401],
  },
});

export const listItems = createRoute({
  method: "get",
  path: "/api/v1/risk/lists/{name}/items",
  tags,
  summary: "The values of a risk list, newest first",
  description: "A list that holds nothing answers an empty page. Values added together (one import) come in reverse order of value.",
  security: bearerSecurity,
  request: {
    params: listParams,
    query: z.strictObject({
      limit: listQuery.limit,
      starting_after: ListValueSchema.optional().openapi({ description: "A value of the list: the page after it." }),
      ending_before: ListValueSchema.optional().openapi({ description: "A value of the list: the page before it." }),
    }),
  },
  responses: {
    200: jsonContent(listOf(ListItemSchema, "RiskListItemList"), "A page of values."),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

export const addItems = createRoute({
  method: "post",
  path: "/api/v1/risk/lists/{name}/items",
  tags,
  summary: "Add a value (`value`) or import many (`values`) to a risk list, creating it",
  description:
    "Idempotent: a value the list holds already is kept, with its first created_at. One value answers the item " +
    "(201 when added, 200 when it was there); `values` answers how many were added and how many were there.",
  security: bearerSecurity,
  request: { params: listParams, headers: idempotencyHeaders, ...jsonBody(AddItemsBody) },
  responses: {
    200: jsonContent(z.union([ImportSchema, ListItemSchema]), "The import's counts (`values`), or the item the list held already (`value`)."),
    201: jsonContent(ListItemSchema, "The item added (`value`)."),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

export const deleteItem = createRoute({
  method: "delete",
  path: "/api/v1/risk/lists/{name}/items/{value}",
  tags,
  summary: "Remove a value from a risk list",
  security: bearerSecurity,
  request: { params: itemParams },
  responses: {
    200: jsonContent(
      z.object({ object: z.literal("risk_list_item"), list: z.string(), value: z.string(), deleted: z.literal(true) }).openapi("DeletedRiskListItem"),
      "Removed.",
    ),
    400: errorResponses[400],
    401: errorResponses[401],
    404: errorResponses[404],
  },
});
