// The merchant's own dashboard users: owners add and remove them (or the merchant's code, by key).
import { createRoute, z } from "@hono/zod-openapi";
import { listOf } from "../../openapi/list";
import { bearerSecurity, errorResponses, jsonBody, jsonContent } from "../../openapi/route-helpers";
import { ErrorSchema } from "../../openapi/schemas";
import { NewUserSchema } from "../admin/people.routes";
import { PersonSchema } from "../session/session.schemas";

const tags = ["Merchant"];

export const listUsers = createRoute({
  method: "get",
  path: "/api/v1/merchant/users",
  tags,
  summary: "The merchant's dashboard users, oldest first",
  security: bearerSecurity,
  responses: { 200: jsonContent(listOf(PersonSchema, "MerchantUserList"), "The users."), 401: errorResponses[401] },
});

export const createUser = createRoute({
  method: "post",
  path: "/api/v1/merchant/users",
  tags,
  summary: "Add a dashboard user (owner, developer: keys and webhooks, analyst: reads only)",
  security: bearerSecurity,
  request: jsonBody(NewUserSchema),
  responses: {
    201: jsonContent(PersonSchema, "The new user; they sign in with the password given."),
    400: errorResponses[400],
    401: errorResponses[401],
    409: jsonContent(ErrorSchema, "email_taken."),
  },
});

export const deleteUser = createRoute({
  method: "delete",
  path: "/api/v1/merchant/users/{userId}",
  tags,
  summary: "Remove a dashboard user; their sessions end at once",
  security: bearerSecurity,
  request: { params: z.object({ userId: z.string().min(1) }) },
  responses: {
    204: { description: "Removed." },
    401: errorResponses[401],
    404: errorResponses[404],
    409: jsonContent(ErrorSchema, "last_owner: a merchant keeps at least one owner."),
  },
});
