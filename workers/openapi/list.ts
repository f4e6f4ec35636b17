// Stripe-shaped lists: {"object":"list","data":[…],"has_more":bool}, newest first, with cursors.
import { z } from "@hono/zod-openapi";

export const listQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(10).openapi({ description: "1 to 100, default 10." }),
  starting_after: z.string().min(1).optional().openapi({ description: "An id: the page after it." }),
  ending_before: z.string().min(1).optional().openapi({ description: "An id: the page before it." }),
  created_gte: z.iso.datetime().optional().openapi({ description: "Created at or after (ISO-8601)." }),
  created_lte: z.iso.datetime().optional().openapi({ description: "Created at or before (ISO-8601)." }),
};

export const listOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ object: z.literal("list"), data: z.array(item), has_more: z.boolean() }).openapi(name);

/** The created_gte / created_lte query parameters as epoch milliseconds. */
export const createdRange = (q: { created_gte?: string; created_lte?: string }) => ({
  createdGte: q.created_gte === undefined ? undefined : Date.parse(q.created_gte),
  createdLte: q.created_lte === undefined ? undefined : Date.parse(q.created_lte),
});
