import { z } from "@hono/zod-openapi";
import { PASSWORD_MAX } from "../../../shared/access/passwords";
import type { Person } from "../../../shared/access/people-store";
import { USER_ROLES, OPERATOR_ROLES } from "../../../shared/db/schema";
import type { Merchant } from "../../../shared/merchants/merchant-store";
import { isoTime, toIso } from "../../openapi/schemas";

export const SignInSchema = z
  .strictObject({
    email: z.email().max(320).openapi({ example: "owner@demo.example" }),
    // the length rules apply when a password is set; any wrong one is just wrong here
    password: z.string().min(1).max(PASSWORD_MAX),
  })
  .openapi("SignIn");

export const PersonSchema = z
  .object({
    id: z.string().openapi({ example: "usr_3xQm9L2vN0xR5tY1wZ3c" }),
    object: z.literal("dashboard_user"),
    email: z.string(),
    kind: z.enum(["merchant", "operator"]),
    role: z.enum([...USER_ROLES, ...OPERATOR_ROLES]),
    merchant_id: z.string().nullable(),
    created_at: isoTime,
  })
  .openapi("DashboardUser");

export const SessionSchema = z
  .object({
    object: z.literal("session"),
    user: PersonSchema.extend({ merchant_name: z.string().nullable() }),
    csrf_token: z.string().openapi({ description: "Send it as X-CSRF-Token on every change made with this session." }),
    expires_at: isoTime.openapi({ description: "When the session ends however it is used; idle for 15 minutes, it ends sooner." }),
  })
  .openapi("Session");

export const toPersonJson = (person: Person) => ({
  id: person.id,
  object: "dashboard_user" as const,
  email: person.email,
  kind: person.kind,
  role: person.role,
  merchant_id: person.merchantId,
  created_at: toIso(person.createdAt),
});

export const toSessionJson = (person: Person, merchant: Merchant | null, csrf: string, expiresAt: number) => ({
  object: "session" as const,
  user: { ...toPersonJson(person), merchant_name: merchant?.name ?? null },
  csrf_token: csrf,
  expires_at: toIso(expiresAt),
});
