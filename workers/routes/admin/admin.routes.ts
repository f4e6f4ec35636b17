import { createRoute, z } from "@hono/zod-openapi";
import { KEY_CACHE_TTL_MS } from "../../../shared/merchants/key-cache";
import { listOf, listQuery } from "../../openapi/list";
import { errorResponses, jsonBody, jsonContent, noParameters } from "../../openapi/route-helpers";
import { IssuedApiKeySchema, MerchantSchema } from "../merchant/merchant.schemas";

const tags = ["Admin"];
/** The admin token (automation), or an operator signed in to the console. */
export const adminSecurity: Array<Record<string, string[]>> = [{ adminToken: [] }, { sessionCookie: [] }];
const merchantParams = z.object({ merchantId: z.string().min(1) });

export const CreateMerchantBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).openapi({ example: "Acme Books" }),
    email: z.email().max(320).openapi({ example: "payments@acme.example" }),
  })
  .openapi("CreateMerchantRequest");

export const createMerchant = createRoute({
  method: "post",
  path: "/api/v1/admin/merchants",
  tags,
  summary: "Create a merchant with a test and a live API key (secrets shown once)",
  security: adminSecurity,
  request: jsonBody(CreateMerchantBody),
  responses: {
    201: jsonContent(
      z
        .object({
          merchant: MerchantSchema,
          api_keys: z.object({ test: IssuedApiKeySchema, live: IssuedApiKeySchema }),
        })
        .openapi("CreatedMerchant"),
      "The merchant and its first keys.",
    ),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

export const listMerchants = createRoute({
  method: "get",
  path: "/api/v1/admin/merchants",
  tags,
  summary: "List merchants, newest first",
  security: adminSecurity,
  request: {
    query: z.strictObject({
      ...listQuery,
      status: MerchantSchema.shape.status.optional(),
      email: z.string().min(1).max(320).optional().openapi({ description: "Exact match." }),
      q: z.string().trim().min(1).max(320).optional().openapi({
        description: "Search: the merchant's id (whole), or the start of its name or email, in any case of ASCII letters.",
        example: "acme",
      }),
    }),
  },
  responses: {
    200: jsonContent(listOf(MerchantSchema, "MerchantList"), "A page of merchants."),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

export const getMerchant = createRoute({
  method: "get",
  path: "/api/v1/admin/merchants/{merchantId}",
  tags,
  summary: "Read any merchant",
  security: adminSecurity,
  request: { params: merchantParams },
  responses: {
    200: jsonContent(MerchantSchema, "The merchant."),
    401: errorResponses[401],
    404: errorResponses[404],
  },
});

/** What a status change means for the merchant, said on both routes. */
const statusChange =
  "Idempotent: a merchant already in that status is answered as it is. A suspended merchant's API keys and its " +
  "people's dashboard sessions answer 403 `merchant_suspended`; its payments keep settling and its pending notifications " +
  "keep being delivered. Sessions read the status on every request; keys are cached per isolate, so for them the change " +
  `holds at once in the isolate that answers this call and within ${KEY_CACHE_TTL_MS / 1000} s (KEY_CACHE_TTL_MS) in every other.`;

const statusResponses = {
  200: jsonContent(MerchantSchema, "The merchant, with its new status."),
  400: errorResponses[400],
  401: errorResponses[401],
  404: errorResponses[404],
};

export const suspendMerchant = createRoute({
  method: "post",
  path: "/api/v1/admin/merchants/{merchantId}/suspend",
  tags,
  summary: "Suspend a merchant: its API keys are refused until it is reactivated",
  description: statusChange,
  security: adminSecurity,
  request: { params: merchantParams, ...noParameters },
  responses: statusResponses,
});

export const reactivateMerchant = createRoute({
  method: "post",
  path: "/api/v1/admin/merchants/{merchantId}/reactivate",
  tags,
  summary: "Reactivate a suspended merchant: its API keys work again",
  description: statusChange,
  security: adminSecurity,
  request: { params: merchantParams, ...noParameters },
  responses: statusResponses,
});

const DeadLetterSchema = z
  .object({
    id: z.string(),
    object: z.literal("dead_letter"),
    queue: z.string(),
    message_id: z.string(),
    body: z.unknown(),
    attempts: z.number().int(),
    created_at: z.string(),
    replayed_at: z.string().nullable(),
  })
  .openapi("DeadLetter");

export const listDeadLetters = createRoute({
  method: "get",
  path: "/api/v1/admin/dead-letters",
  tags,
  summary: "Messages a queue gave up on, newest first",
  security: adminSecurity,
  request: {
    query: z.strictObject({
      queue: z.enum(["channel-events", "channel-calls", "notifications"]).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(20),
    }),
  },
  responses: {
    200: jsonContent(
      z.object({ object: z.literal("list"), data: z.array(DeadLetterSchema), has_more: z.boolean() }),
      "Parked messages.",
    ),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

export const replayDeadLetter = createRoute({
  method: "post",
  path: "/api/v1/admin/dead-letters/{deadLetterId}/replay",
  tags,
  summary: "Send a parked message back to its queue (consumers are idempotent)",
  security: adminSecurity,
  request: { params: z.object({ deadLetterId: z.string().min(1) }) },
  responses: {
    200: jsonContent(DeadLetterSchema, "The message, marked replayed."),
    401: errorResponses[401],
    404: errorResponses[404],
  },
});
