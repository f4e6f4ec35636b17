// order_no: derived from the merchant's own reference when there is one (so one reference is one
// order, however concurrent the creates), random otherwise. OrderDO is named by it.
import { businessNoPattern, derivedBusinessNo, randomBusinessNo } from "../business-no";

export const ORDER_NO_PATTERN = businessNoPattern("OR");

export const orderNoFor = (merchantId: string, livemode: boolean, reference: string | undefined) =>
  reference === undefined ? Promise.resolve(randomBusinessNo("OR")) : derivedBusinessNo("OR", merchantId, livemode, `order:${reference}`);

/** The OrderDO for an order_no; null for a string that cannot be one (no object is made). */
export function orderStub(env: Env, orderNo: string) {
  if (!ORDER_NO_PATTERN.test(orderNo)) return null;
  return env.ORDER.get(env.ORDER.idFromName(orderNo));
}
