// The customer's receipts (payment succeeded, refund succeeded), in English or Chinese: the
// payment's language picks one (zh* → Chinese, anything else or none → English). Pure: the queue
// consumer passes in what the event said and the merchant's receipt settings.
import { findCurrency } from "../money/currencies";
import { renderEmail, type EmailContent } from "./layout";

export type ReceiptKind = "receipt.payment" | "receipt.refund";

/** What a receipt says, taken from the event when it is enqueued. */
export interface ReceiptFacts {
  paymentNo: string;
  orderNo: string;
  /** Minor units: the payment's amount, or the refund's. */
  amount: number;
  currency: string;
  /** The payment's language (BCP 47); null: English. */
  language: string | null;
  /** When the payment was paid, or the refund settled (epoch ms). */
  at: number;
  refundNo: string | null;
  livemode: boolean;
}

/** In whose name, and where the customer replies. */
export interface ReceiptSender {
  businessName: string;
  supportEmail: string;
}

export type ReceiptLanguage = "en" | "zh";

export const receiptLanguage = (tag: string | null): ReceiptLanguage => (tag && /^zh(-|$)/i.test(tag) ? "zh" : "en");

/** Minor units as the currency writes them: 123456 USD → "USD 1,234.56", 1000 JPY → "JPY 1,000". */
export function formatAmount(amount: number, currency: string): string {
  const exponent = findCurrency(currency)?.exponent ?? 2;
  const digits = String(Math.abs(amount)).padStart(exponent + 1, "0");
  const whole = digits.slice(0, digits.length - exponent).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction = exponent > 0 ? `.${digits.slice(-exponent)}` : "";
  return `${currency.toUpperCase()} ${amount < 0 ? "-" : ""}${whole}${fraction}`;
}

/** The instant in UTC, to the minute, as each language writes dates. */
export function formatDate(ms: number, language: ReceiptLanguage): string {
  const [day, time] = new Date(ms).toISOString().slice(0, 16).split("T") as [string, string];
  const [y, m, d] = day.split("-");
  return language === "zh" ? `${y}年${Number(m)}月${Number(d)}日 ${time} (UTC)` : `${day} ${time} UTC`;
}

const COPY = {
  en: {
    test: "[TEST] ",
    paymentSubject: (business: string) => `Your receipt from ${business}`,
    paymentIntro: (business: string, amount: string) => `Thank you for your payment of ${amount} to ${business}.`,
    refundSubject: (business: string) => `Your refund from ${business}`,
    refundIntro: (business: string, amount: string) =>
      `${business} has refunded ${amount} to you. Depending on your bank, it may take a few days to reach your account.`,
    amountPaid: "Amount paid",
    amountRefunded: "Amount refunded",
    refund: "Refund",
    payment: "Payment",
    order: "Order",
    date: "Date",
    closing: (support: string) => `Questions? Reply to this email or write to ${support}.`,
  },
  zh: {
    test: "[测试] ",
    paymentSubject: (business: string) => `${business} 的付款收据`,
    paymentIntro: (business: string, amount: string) => `感谢您向 ${business} 付款 ${amount}。`,
    refundSubject: (business: string) => `${business} 的退款通知`,
    refundIntro: (business: string, amount: string) => `${business} 已向您退款 ${amount}。视您的银行而定，款项可能需要几天才能到账。`,
    amountPaid: "付款金额",
    amountRefunded: "退款金额",
    refund: "退款单号",
    payment: "支付单号",
    order: "订单号",
    date: "日期",
    closing: (support: string) => `如有疑问，请直接回复此邮件，或发送邮件至 ${support}。`,
  },
} as const;

export function renderReceipt(kind: ReceiptKind, facts: ReceiptFacts, sender: ReceiptSender): EmailContent {
  const language = receiptLanguage(facts.language);
  const copy = COPY[language];
  const amount = formatAmount(facts.amount, facts.currency);
  const refund = kind === "receipt.refund";
  const subject = (facts.livemode ? "" : copy.test) + (refund ? copy.refundSubject : copy.paymentSubject)(sender.businessName);
  return renderEmail({
    lang: language === "zh" ? "zh-CN" : "en",
    subject,
    intro: (refund ? copy.refundIntro : copy.paymentIntro)(sender.businessName, amount),
    facts: [
      [refund ? copy.amountRefunded : copy.amountPaid, amount],
      ...(refund && facts.refundNo ? [[copy.refund, facts.refundNo] as [string, string]] : []),
      [copy.payment, facts.paymentNo],
      [copy.order, facts.orderNo],
      [copy.date, formatDate(facts.at, language)],
    ],
    closing: copy.closing(sender.supportEmail),
  });
}
