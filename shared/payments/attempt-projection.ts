// PaymentDO -> D1: each attempt of a payment as a row of `transactions`, moved forward only by a
// newer attempt version, so replays and out-of-order drains are harmless (as payments are).
import type { Orm } from "../db/batch";
import { newerVersionWins } from "../db/forward-only";
import { transactions } from "../db/schema";
import { attemptsOf } from "./attempts";
import type { PaymentRecord } from "./payment";

export function attemptUpserts(orm: Orm, payment: PaymentRecord) {
  return attemptsOf(payment).map((a) =>
    orm
      .insert(transactions)
      .values({
        id: `${payment.paymentNo}:${a.attemptNo}`,
        merchantId: payment.merchantId,
        livemode: payment.livemode,
        paymentNo: payment.paymentNo,
        attemptNo: a.attemptNo,
        type: "payment_attempt",
        channel: a.channel,
        channelAccount: a.channelAccount,
        channelTxnId: a.channelPaymentId,
        amount: payment.amount,
        currency: payment.currency,
        paymentMethod: payment.paymentMethod,
        status: a.status,
        errorCode: a.failure?.code ?? null,
        errorMessage: a.failure?.message ?? null,
        latencyMs: a.latencyMs,
        version: a.version,
        createdAt: a.createdAt,
        updatedAt: a.updatedAt,
      })
      .onConflictDoUpdate(
        newerVersionWins(transactions, transactions.id, ["channelTxnId", "status", "errorCode", "errorMessage", "latencyMs", "version", "updatedAt"]),
      ),
  );
}
