// order_no: derived from the merchant's own reference when there is one (so one reference is one
// order, however concurrent the creates), random otherwise. OrderDO is named by it.
import { annotate } from "../observability/log-context";
import { businessNoPattern, derivedBusinessNo, randomBusinessNo } from "../business-no";

export const ORDER_NO_PATTERN = businessNoPattern("OR");

export const orderNoFor = (merchantId: string, livemode: boolean, reference: string | undefined) =>
  reference === undefined ? Promise.resolve(randomBusinessNo("OR")) : derivedBusinessNo("OR", merchantId, livemode, `order:${reference}`);

/** The OrderDO for an order_no; null for a string that cannot be one (no object is made). Logs from here on name the order. */
export function orderStub(env: Env, orderNo: string) {
  if (!ORDER_NO_PATTERN.test(orderNo)) return null;
  annotate({ orderNo });
  return env.ORDER.get(env.ORDER.idFromName(orderNo));
}
