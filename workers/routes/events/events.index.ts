import { eventJson } from "../../../shared/events/event";
import {
  deliveriesOf,
  eventFromRow,
  findEvent,
  listEvents as queryEvents,
  markForResend,
} from "../../../shared/events/event-store";
import type { events } from "../../../shared/db/schema";
import { notFound } from "../../../shared/errors";
import type { NotificationMessage } from "../../../shared/notifications/message";
import { createdRange } from "../../openapi/list";
import { createRouter } from "../../openapi/router";
import { toIso, toIsoOrNull } from "../../openapi/schemas";
import { getEvent, listEvents, resendEvent } from "./events.routes";

const withDelivery = (row: typeof events.$inferSelect) => ({
  ...eventJson(eventFromRow(row)),
  delivery: { status: row.deliveryStatus, attempts: row.attempts, delivered_at: toIsoOrNull(row.deliveredAt) },
});

export const eventsRouter = createRouter()
  .openapi(listEvents, async (c) => {
    const q = c.req.valid("query");
    const { merchant, livemode } = c.get("auth");
    const page = await queryEvents(
      c.env.DB,
      { merchantId: merchant.id, livemode, type: q.type, paymentNo: q.payment_no, orderNo: q.order_no, ...createdRange(q) },
      { limit: q.limit, startingAfter: q.starting_after, endingBefore: q.ending_before },
    );
    return c.json({ object: "list" as const, data: page.data.map(withDelivery), has_more: page.hasMore }, 200);
  })
  .openapi(getEvent, async (c) => {
    const { eventId } = c.req.valid("param");
    const { merchant, livemode } = c.get("auth");
    const row = await findEvent(c.env.DB, eventId, merchant.id, livemode);
    if (!row) throw notFound("event", eventId);
    const attempts = (await deliveriesOf(c.env.DB, eventId)).map((d) => ({
      attempt: d.attempt,
      at: toIso(d.createdAt),
      url: d.url,
      status_code: d.statusCode,
      latency_ms: d.latencyMs,
      response_excerpt: d.responseExcerpt,
      error: d.error,
    }));
    return c.json({ ...withDelivery(row), attempts }, 200);
  })
  .openapi(resendEvent, async (c) => {
    const { eventId } = c.req.valid("param");
    const { merchant, livemode } = c.get("auth");
    const found = await findEvent(c.env.DB, eventId, merchant.id, livemode);
    if (!found) throw notFound("event", eventId);
    const row = (await markForResend(c.env.DB, eventId))!;
    const subject = row.orderNo !== null ? { orderNo: row.orderNo } : { paymentNo: row.paymentNo! };
    await c.env.NOTIFICATIONS.send({ eventId, ...subject, resend: true } satisfies NotificationMessage);
    return c.json(withDelivery(row), 202);
  });
