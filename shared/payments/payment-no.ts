// payment_no is derived from (merchant, mode, order_no), and the PaymentDO is named by it. So
// "one payment per merchant and order_no" is a property of the object's identity: every request
// for that order, however concurrent, reaches the same single-threaded object.
import { businessNoPattern, derivedBusinessNo } from "../business-no";

export const PAYMENT_NO_PATTERN = businessNoPattern("PY");

export const paymentNoFor = (merchantId: string, livemode: boolean, orderNo: string) =>
  derivedBusinessNo("PY", merchantId, livemode, orderNo);
