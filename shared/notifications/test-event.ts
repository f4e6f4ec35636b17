// The event POST /api/v1/merchant/webhook-endpoint/test sends: shaped as every event (eventJson),
// so the merchant's handler parses and verifies it as it will the real ones, but about nothing
// (no payment, refund or order), and never stored: it is not listed and never retried.
import { randomBase62 } from "../crypto";
import { toIso } from "../time";

export const TEST_EVENT_TYPE = "test.webhook";

export const testEventJson = (livemode: boolean, now: number) => ({
  id: `evt_${randomBase62(24)}`,
  object: "event" as const,
  type: TEST_EVENT_TYPE,
  created: toIso(now),
  livemode,
  payment_no: null,
  refund_no: null,
  order_no: null,
  data: { object: { object: "webhook_test" as const, message: "A test of your webhook endpoint: nothing happened." } },
});
