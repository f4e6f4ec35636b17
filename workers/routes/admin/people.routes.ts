// Operators manage the people who sign in: operators themselves, merchants' users, and the audit log.
import { createRoute, z } from "@hono/zod-openapi";
import { PASSWORD_MAX, PASSWORD_MIN } from "../../../shared/access/passwords";
import { OPERATOR_ROLES, USER_ROLES } from "../../../shared/db/schema";
import { listOf, listQuery } from "../../openapi/list";
import { errorResponses, jsonBody, jsonContent } from "../../openapi/route-helpers";
import { ErrorSchema, isoTime } from "../../openapi/schemas";
import { PersonSchema } from "../session/session.schemas";
import { adminSecurity } from "./admin.routes";

const tags = ["Admin: people"];

const password = z.string().openapi({ description: `${PASSWORD_MIN} to ${PASSWORD_MAX} characters.` });
const email = z.email().max(320);

export const NewOperatorSchema = z.strictObject({ email, password, role: z.enum(OPERATOR_ROLES) }).openapi("NewOperator");
export const NewUserSchema = z.strictObject({ email, password, role: z.enum(USER_ROLES) }).openapi("NewDashboardUser");

const merchantParams = z.object({ merchantId: z.string().min(1) });
const created = (what: string) => ({
  201: jsonContent(PersonSchema, `The new ${what}.`),
  400: errorResponses[400],
  401: errorResponses[401],
  409: jsonContent(ErrorSchema, "email_taken: that email already signs in."),
});

export const createOperator = createRoute({
  method: "post",
  path: "/api/v1/admin/operators",
  tags,
  summary: "Add an operator (admin: everything; support: reads only)",
  description: "The first operator is made with the admin token; later ones by an admin operator too.",
  security: adminSecurity,
  request: jsonBody(NewOperatorSchema),
  responses: created("operator"),
});

export const createMerchantUser = createRoute({
  method: "post",
  path: "/api/v1/admin/merchants/{merchantId}/users",
  tags,
  summary: "Add a dashboard user to a merchant (its first owner, say)",
  security: adminSecurity,
  request: { params: merchantParams, ...jsonBody(NewUserSchema) },
  responses: { ...created("user"), 404: errorResponses[404] },
});

export const listMerchantUsers = createRoute({
  method: "get",
  path: "/api/v1/admin/merchants/{merchantId}/users",
  tags,
  summary: "A merchant's dashboard users, oldest first",
  security: adminSecurity,
  request: { params: merchantParams },
  responses: { 200: jsonContent(listOf(PersonSchema, "DashboardUserList"), "The users."), 401: errorResponses[401], 404: errorResponses[404] },
});

export const AuditEntrySchema = z
  .object({
    id: z.string(),
    object: z.literal("audit_entry"),
    created_at: isoTime,
    actor: z.object({
      type: z.enum(["user", "operator", "admin_token", "anonymous"]),
      id: z.string().nullable(),
      email: z.string().nullable().openapi({ description: "For a refused sign-in, the email that was tried." }),
    }),
    merchant_id: z.string().nullable(),
    livemode: z.boolean().nullable(),
    action: z.string().openapi({ example: "POST /api/v1/refunds", description: "The method and the route." }),
    target: z.string().openapi({ example: "/api/v1/refunds", description: "The path requested." }),
    status: z.number().int().openapi({ description: "The answer's HTTP status: refused changes are recorded too." }),
    ip: z.string().nullable(),
    request_id: z.string().nullable(),
  })
  .openapi("AuditEntry");

export const listAuditLog = createRoute({
  method: "get",
  path: "/api/v1/admin/audit-log",
  tags,
  summary: "Sign-ins and every change made by a person or the admin token, newest first",
  security: adminSecurity,
  request: {
    query: z.strictObject({
      ...listQuery,
      merchant_id: z.string().min(1).optional(),
      actor_id: z.string().min(1).optional(),
    }),
  },
  responses: { 200: jsonContent(listOf(AuditEntrySchema, "AuditLog"), "A page of entries."), 400: errorResponses[400], 401: errorResponses[401] },
});
