import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonBody, jsonContent } from "../../openapi/route-helpers";
import { IssuedApiKeySchema, MerchantSchema } from "../merchant/merchant.schemas";

const tags = ["Admin"];
const adminSecurity = [{ adminToken: [] }];

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

export const getMerchant = createRoute({
  method: "get",
  path: "/api/v1/admin/merchants/{merchantId}",
  tags,
  summary: "Read any merchant",
  security: adminSecurity,
  request: { params: z.object({ merchantId: z.string().min(1) }) },
  responses: {
    200: jsonContent(MerchantSchema, "The merchant."),
    401: errorResponses[401],
    404: errorResponses[404],
  },
});
