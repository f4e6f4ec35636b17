// The receipt and alert templates, pure: languages, escaping, amounts in each currency's minor units.
import { describe, expect, it } from "vitest";
import { renderAlert } from "../../shared/email/alerts";
import { escapeHtml } from "../../shared/email/layout";
import { formatAmount, formatDate, receiptLanguage, renderReceipt, type ReceiptFacts } from "../../shared/email/receipts";

const AT = Date.UTC(2026, 10, 26, 8, 15, 30);
const facts = (extra: Partial<ReceiptFacts> = {}): ReceiptFacts => ({
  paymentNo: "PY8W3K0QJ5ZP2M7R9T1V4X6Y8A",
  orderNo: "ORD-1001",
  amount: 123456,
  currency: "USD",
  language: null,
  at: AT,
  refundNo: null,
  livemode: true,
  ...extra,
});
const sender = { businessName: "Acme Books", supportEmail: "support@acme.example" };

describe("receipt language", () => {
  it.each([
    ["zh", "zh"], ["zh-CN", "zh"], ["zh-Hans", "zh"], ["ZH-tw", "zh"],
    ["en", "en"], ["en-US", "en"], ["fr", "en"], ["zha", "en"], [null, "en"],
  ])("%s reads as %s", (tag, language) => {
    expect(receiptLanguage(tag)).toBe(language);
  });
});

describe("amounts in minor units", () => {
  it.each([
    [123456, "USD", "USD 1,234.56"],
    [5, "USD", "USD 0.05"],
    [1000, "JPY", "JPY 1,000"],
    [1234567, "KRW", "KRW 1,234,567"],
    [1000, "BHD", "BHD 1.000"],
    [100000000, "EUR", "EUR 1,000,000.00"],
  ])("%d %s is %s", (amount, currency, shown) => {
    expect(formatAmount(amount, currency)).toBe(shown);
  });
});

describe("payment receipt", () => {
  it("in English: subject, amount, numbers, date and support address, in text and HTML", () => {
    const mail = renderReceipt("receipt.payment", facts({ language: "en-US" }), sender);
    expect(mail.subject).toBe("Your receipt from Acme Books");
    for (const part of ["USD 1,234.56", "PY8W3K0QJ5ZP2M7R9T1V4X6Y8A", "ORD-1001", "2026-11-26 08:15 UTC", "support@acme.example"]) {
      expect(mail.text).toContain(part);
      expect(mail.html).toContain(part);
    }
    expect(mail.html).toContain('<html lang="en">');
  });

  it("in Chinese for zh-CN, with the amount in JPY's zero decimals", () => {
    const mail = renderReceipt("receipt.payment", facts({ language: "zh-CN", amount: 5000, currency: "JPY" }), sender);
    expect(mail.subject).toBe("Acme Books 的付款收据");
    expect(mail.text).toContain("感谢您向 Acme Books 付款 JPY 5,000。");
    expect(mail.text).toContain("付款金额: JPY 5,000");
    expect(mail.text).toContain("2026年11月26日 08:15 (UTC)");
    expect(mail.html).toContain('<html lang="zh-CN">');
    expect(mail.html).toContain("订单号");
  });

  it("marks a test-mode receipt in its subject", () => {
    expect(renderReceipt("receipt.payment", facts({ livemode: false }), sender).subject).toBe("[TEST] Your receipt from Acme Books");
    expect(renderReceipt("receipt.payment", facts({ livemode: false, language: "zh" }), sender).subject).toBe("[测试] Acme Books 的付款收据");
  });

  it("escapes the merchant's name and the order number in HTML, and keeps them as written in text", () => {
    const mail = renderReceipt("receipt.payment", facts({ orderNo: "<b>1</b>" }), { ...sender, businessName: `Tom & "Jerry's" <script>` });
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain("<b>1</b>");
    expect(mail.html).toContain("Tom &amp; &quot;Jerry&#39;s&quot; &lt;script&gt;");
    expect(mail.html).toContain("&lt;b&gt;1&lt;/b&gt;");
    expect(mail.text).toContain(`Tom & "Jerry's" <script>`);
  });
});

describe("refund receipt", () => {
  it("names the refund and its amount, in English and Chinese", () => {
    const refund = facts({ amount: 2500, refundNo: "RF8W3K0QJ5ZP2M7R9T1V4X6Y8A001" });
    const en = renderReceipt("receipt.refund", refund, sender);
    expect(en.subject).toBe("Your refund from Acme Books");
    expect(en.text).toContain("Acme Books has refunded USD 25.00 to you.");
    expect(en.text).toContain("Refund: RF8W3K0QJ5ZP2M7R9T1V4X6Y8A001");
    const zh = renderReceipt("receipt.refund", { ...refund, language: "zh-Hans" }, sender);
    expect(zh.subject).toBe("Acme Books 的退款通知");
    expect(zh.text).toContain("退款单号: RF8W3K0QJ5ZP2M7R9T1V4X6Y8A001");
    expect(zh.text).toContain("退款金额: USD 25.00");
  });
});

describe("operator alerts", () => {
  it("dead letters: the count now and at the last alert", () => {
    const mail = renderAlert({ type: "alert.dead_letters", count: 7, previous: 3, at: AT });
    expect(mail.subject).toBe("Dead letters growing: 7 waiting");
    expect(mail.text).toContain("At the last alert: 3");
  });

  it("circuit opened: merchant, mode and channel", () => {
    const mail = renderAlert({ type: "alert.circuit_opened", merchantId: "mch_1", livemode: true, channel: "stripe", openedAt: AT });
    expect(mail.subject).toBe("Circuit opened: stripe for mch_1 (live)");
    expect(mail.text).toContain("Opened: 2026-11-26 08:15 UTC");
  });
});

it("escapeHtml escapes the five characters that matter", () => {
  expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  expect(formatDate(AT, "en")).toBe("2026-11-26 08:15 UTC");
});
