// fetch for calls out of the platform (channels, merchants' endpoints): each request a span of the
// current trace (its `traceparent`), so the other side's view of a payment can be joined to ours.
import { outgoingTraceparent } from "./log-context";

export const tracedFetch: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set("traceparent", outgoingTraceparent());
  return fetch(input, { ...init, headers });
};
