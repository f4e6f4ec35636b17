import { eventJson } from "../../../shared/events/event";
import { eventFromRow, findEvent, listEvents as queryEvents } from "../../../shared/events/event-store";
import { notFound } from "../../../shared/errors";
import { createdRange } from "../../openapi/list";
import { createRouter } from "../../openapi/router";
import { getEvent, listEvents } from "./events.routes";

export const eventsRouter = createRouter()
  .openapi(listEvents, async (c) => {
    const q = c.req.valid("query");
    const { merchant, livemode } = c.get("auth");
    const page = await queryEvents(
      c.env.DB,
      { merchantId: merchant.id, livemode, type: q.type, paymentNo: q.payment_no, ...createdRange(q) },
      { limit: q.limit, startingAfter: q.starting_after, endingBefore: q.ending_before },
    );
    return c.json({ object: "list" as const, data: page.data.map((row) => eventJson(eventFromRow(row))), has_more: page.hasMore }, 200);
  })
  .openapi(getEvent, async (c) => {
    const { eventId } = c.req.valid("param");
    const { merchant, livemode } = c.get("auth");
    const row = await findEvent(c.env.DB, eventId, merchant.id, livemode);
    if (!row) throw notFound("event", eventId);
    return c.json(eventJson(eventFromRow(row)), 200);
  });
