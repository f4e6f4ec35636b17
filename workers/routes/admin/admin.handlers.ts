import { desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { producerFor } from "../../../queues/dead-letters";
import { deadLetters } from "../../../shared/db/schema";
import { notFound } from "../../../shared/errors";
import { listMerchants as queryMerchants } from "../../../shared/merchants/merchant-queries";
import * as store from "../../../shared/merchants/merchant-store";
import { createdRange } from "../../openapi/list";
import { toIso, toIsoOrNull } from "../../openapi/schemas";
import type { AppRouteHandler } from "../../openapi/router";
import { toIssuedKeyJson, toMerchantJson } from "../merchant/merchant.schemas";
import type * as routes from "./admin.routes";

export const createMerchant: AppRouteHandler<typeof routes.createMerchant> = async (c) => {
  const created = await store.createMerchant(drizzle(c.env.DB), c.req.valid("json"));
  return c.json(
    {
      merchant: toMerchantJson(created.merchant),
      api_keys: { test: toIssuedKeyJson(created.test), live: toIssuedKeyJson(created.live) },
    },
    201,
  );
};

export const listMerchants: AppRouteHandler<typeof routes.listMerchants> = async (c) => {
  const q = c.req.valid("query");
  const page = await queryMerchants(
    c.env.DB,
    { status: q.status, email: q.email, q: q.q, ...createdRange(q) },
    { limit: q.limit, startingAfter: q.starting_after, endingBefore: q.ending_before },
  );
  return c.json({ object: "list" as const, data: page.data.map(toMerchantJson), has_more: page.hasMore }, 200);
};

export const getMerchant: AppRouteHandler<typeof routes.getMerchant> = async (c) => {
  const { merchantId } = c.req.valid("param");
  const merchant = await store.findMerchant(drizzle(c.env.DB), merchantId);
  if (!merchant) throw notFound("merchant", merchantId);
  return c.json(toMerchantJson(merchant), 200);
};

async function setStatus(env: Env, merchantId: string, status: store.MerchantStatus) {
  const merchant = await store.setMerchantStatus(drizzle(env.DB), merchantId, status);
  if (!merchant) throw notFound("merchant", merchantId);
  return toMerchantJson(merchant);
}

export const suspendMerchant: AppRouteHandler<typeof routes.suspendMerchant> = async (c) =>
  c.json(await setStatus(c.env, c.req.valid("param").merchantId, "suspended"), 200);

export const reactivateMerchant: AppRouteHandler<typeof routes.reactivateMerchant> = async (c) =>
  c.json(await setStatus(c.env, c.req.valid("param").merchantId, "active"), 200);

const toDeadLetterJson = (row: typeof deadLetters.$inferSelect) => ({
  id: row.id,
  object: "dead_letter" as const,
  queue: row.queue,
  message_id: row.messageId,
  body: JSON.parse(row.body) as unknown,
  attempts: row.attempts,
  created_at: toIso(row.createdAt),
  replayed_at: toIsoOrNull(row.replayedAt),
});

export const listDeadLetters: AppRouteHandler<typeof routes.listDeadLetters> = async (c) => {
  const { queue, limit } = c.req.valid("query");
  const rows = await drizzle(c.env.DB)
    .select()
    .from(deadLetters)
    .where(queue === undefined ? undefined : eq(deadLetters.queue, queue))
    .orderBy(desc(deadLetters.createdAt), desc(deadLetters.id))
    .limit(limit + 1)
    .all();
  return c.json(
    { object: "list" as const, data: rows.slice(0, limit).map(toDeadLetterJson), has_more: rows.length > limit },
    200,
  );
};

export const replayDeadLetter: AppRouteHandler<typeof routes.replayDeadLetter> = async (c) => {
  const { deadLetterId } = c.req.valid("param");
  const db = drizzle(c.env.DB);
  const row = await db.select().from(deadLetters).where(eq(deadLetters.id, deadLetterId)).get();
  const producer = row && producerFor(c.env, row.queue);
  if (!row || !producer) throw notFound("dead letter", deadLetterId);
  await producer.send(JSON.parse(row.body));
  const [replayed] = await db
    .update(deadLetters)
    .set({ replayedAt: Date.now() })
    .where(eq(deadLetters.id, deadLetterId))
    .returning();
  return c.json(toDeadLetterJson(replayed!), 200);
};
