// Which leg of a volume split a payment takes. The hash is SHA-256 of the payment_no, its first 32
// bits read as a fraction of 2^32: the same payment always lands on the same leg (a repeated
// create does, and so will a payment's next attempt), and payments spread over the legs in
// proportion to their weights, within ±1 percentage point over 100,000 payments
// (test/workers/routing-split.test.ts).
const encoder = new TextEncoder();

/** Where a payment falls in [0, 1). */
export async function splitPoint(paymentNo: string): Promise<number> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(paymentNo));
  return new DataView(digest).getUint32(0) / 2 ** 32;
}

/** The leg whose share of [0, 1), laid out in order by weight (percent, summing to 100), holds the point. */
export function legAt(point: number, weights: readonly number[]): number {
  let upTo = 0;
  for (let leg = 0; leg < weights.length; leg++) {
    upTo += weights[leg]!;
    if (point * 100 < upTo) return leg;
  }
  return weights.length - 1;
}

export const legFor = async (paymentNo: string, weights: readonly number[]) => legAt(await splitPoint(paymentNo), weights);
