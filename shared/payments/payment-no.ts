// payment_no is derived from (merchant, mode, order_no), and the PaymentDO is named by it. So
// "one payment per merchant and order_no" is a property of the object's identity: every request
// for that order, however concurrent, reaches the same single-threaded object.
import { sha256Hex } from "../crypto";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const PAYMENT_NO_PATTERN = /^PY[0-9A-HJKMNP-TV-Z]{24}$/;

export async function paymentNoFor(merchantId: string, livemode: boolean, orderNo: string) {
  const hex = await sha256Hex(`${merchantId}\u0000${livemode ? "live" : "test"}\u0000${orderNo}`);
  // 24 base32 symbols = 120 bits of the digest
  let out = "PY";
  for (let i = 0; i < 24; i++) out += CROCKFORD[parseInt(hex.slice(i * 2, i * 2 + 2), 16) % 32];
  return out;
}
