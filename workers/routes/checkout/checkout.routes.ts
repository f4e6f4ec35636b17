// The buyer-facing pages a channel sends the browser back to after its own page (PayPal's
// approval). No API key: the browser is the buyer's. They never show payment details beyond the
// status, and act only on the channel payment the channel named in the URL.
import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses } from "../../openapi/route-helpers";

const tags = ["Checkout"];
/** Declared public: the buyer's browser carries no key. */
const security: Array<Record<string, string[]>> = [];

const params = z.object({ paymentNo: z.string().openapi({ param: { name: "paymentNo", in: "path" } }) });

const redirected = {
  303: {
    description: "To the payment's return_url, with payment_no and status in the query; without a return_url, to a page that shows the status.",
    headers: z.object({ Location: z.string() }),
  },
  200: { description: "The status page, when the payment has no return_url.", content: { "text/html": { schema: z.string() } } },
};

export const checkoutReturn = createRoute({
  method: "get",
  path: "/api/v1/checkout/{paymentNo}/return",
  tags,
  security,
  summary: "Where the channel sends the buyer after approving: completes the payment (PayPal's capture), then forwards",
  request: {
    params,
    query: z.object({
      token: z.string().min(1).openapi({ description: "The channel's payment id (PayPal appends the order id as token)." }),
      PayerID: z.string().optional(),
    }),
  },
  responses: { ...redirected, 404: errorResponses[404] },
});

export const checkoutCancel = createRoute({
  method: "get",
  path: "/api/v1/checkout/{paymentNo}/cancel",
  tags,
  security,
  summary: "Where the channel sends a buyer who gave up: forwards to the return_url, the payment unchanged",
  request: { params, query: z.object({ token: z.string().optional() }) },
  responses: { ...redirected, 404: errorResponses[404] },
});
