import { z } from "@hono/zod-openapi";
import type { ApiKeyRow, IssuedKey, Merchant } from "../../../shared/merchants/merchant-store";
import { isoTime, toIso, toIsoOrNull } from "../../openapi/schemas";

export const MerchantSchema = z
  .object({
    id: z.string().openapi({ example: "mch_4Yb1tWq0cZ8mN2rL7sKd" }),
    object: z.literal("merchant"),
    name: z.string(),
    email: z.string(),
    status: z.enum(["active", "suspended"]),
    created_at: isoTime,
  })
  .openapi("Merchant");

export const ApiKeySchema = z
  .object({
    id: z.string().openapi({ example: "key_8QpL2vN0xR5tY1wZ3cMa" }),
    object: z.literal("api_key"),
    livemode: z.boolean(),
    prefix: z.string().openapi({ example: "sk_test_Ab12", description: "Mode and first symbols only." }),
    created_at: isoTime,
    revoked_at: isoTime.nullable(),
    last_used_at: isoTime.nullable(),
  })
  .openapi("ApiKey");

export const IssuedApiKeySchema = ApiKeySchema.extend({
  secret: z.string().openapi({
    example: "sk_test_…",
    description: "The full key. Shown only in this response and never again: store it now.",
  }),
}).openapi("IssuedApiKey");

export const toMerchantJson = (m: Merchant): z.infer<typeof MerchantSchema> => ({
  id: m.id,
  object: "merchant",
  name: m.name,
  email: m.email,
  status: m.status,
  created_at: toIso(m.createdAt),
});

export const toApiKeyJson = (k: ApiKeyRow): z.infer<typeof ApiKeySchema> => ({
  id: k.id,
  object: "api_key",
  livemode: k.livemode,
  prefix: k.keyPrefix,
  created_at: toIso(k.createdAt),
  revoked_at: toIsoOrNull(k.revokedAt),
  last_used_at: toIsoOrNull(k.lastUsedAt),
});

export const toIssuedKeyJson = (issued: IssuedKey) => ({
  ...toApiKeyJson(issued.row),
  secret: issued.secret,
});
