// Stripe-shaped lists: {"object":"list","data":[…],"has_more":bool}, newest first, with cursors.
import { z } from "@hono/zod-openapi";
import { invalidRequest } from "../../shared/errors";

/** A date-time with its time zone (`Z` or an offset), or a date standing for its UTC day. */
const createdBound = (description: string) =>
  z
    .union([z.iso.date(), z.iso.datetime({ offset: true })], {
      error:
        "must be a date (2026-11-25) or a date-time with a time zone (2026-11-25T08:00:00Z, 2026-11-25T16:00:00+08:00)",
    })
    .optional()
    .openapi({ description });

export const listQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(10).openapi({ description: "1 to 100, default 10." }),
  starting_after: z.string().min(1).optional().openapi({ description: "An id: the page after it." }),
  ending_before: z.string().min(1).optional().openapi({ description: "An id: the page before it." }),
  created_gte: createdBound("Created at or after (ISO-8601). A date alone starts at 00:00:00.000 UTC that day."),
  created_lte: createdBound("Created at or before (ISO-8601). A date alone ends at 23:59:59.999 UTC that day."),
};

export const listOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ object: z.literal("list"), data: z.array(item), has_more: z.boolean() }).openapi(name);

/** A bound as epoch milliseconds: a date alone stands for the given time of its UTC day. */
const boundMs = (value: string | undefined, timeOfDay: string) =>
  value === undefined ? undefined : Date.parse(value.includes("T") ? value : `${value}T${timeOfDay}Z`);

/**
 * The created_gte / created_lte query parameters as epoch milliseconds, both ends inclusive (a
 * date alone covers its whole UTC day). A range that starts after it ends is refused.
 */
export function createdRange(q: { created_gte?: string; created_lte?: string }) {
  const createdGte = boundMs(q.created_gte, "00:00:00.000");
  const createdLte = boundMs(q.created_lte, "23:59:59.999");
  if (createdGte !== undefined && createdLte !== undefined && createdGte > createdLte) {
    throw rangeInverted("created_gte", q.created_gte!, "created_lte", q.created_lte!);
  }
  return { createdGte, createdLte };
}

/** The one wording for a range whose start is after its end; names the start. */
export const rangeInverted = (startParam: string, start: string, endParam: string, end: string) =>
  invalidRequest("parameter_invalid", `Invalid ${startParam}: ${start} is after ${endParam} (${end}).`, startParam);
