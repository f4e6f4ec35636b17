// SMTP over cloudflare:sockets from inside workerd, against the local SMTP servers
// (test/emulators/smtp, started by global-setup): delivery, and which failures are worth a retry.
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";

import { replyCode, sendEmail, SmtpError, smtpConfigured, type OutgoingEmail } from "../../shared/email/smtp";
import { TEST_SMTP } from "../constants";
import { captureLogs } from "./log-capture";
import type { ReceivedMail, SmtpSessionRecord } from "../emulators/smtp/server.d.mts";

const MAIL_API = `http://127.0.0.1:${TEST_SMTP.webPort}`;
const TLS_MAIL_API = `http://127.0.0.1:${TEST_SMTP.tlsWebPort}`;

let seq = 0;
/** A unique recipient and subject per test: other test files send to the same server. */
function email(overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  const n = `${Date.now()}-${++seq}`;
  return {
    to: `buyer-${n}@example.com`,
    subject: `Receipt ${n}`,
    text: `Paid 100.00 USD.\n.\nA line that is only a dot, above.`,
    html: `<p>Paid <b>100.00 USD</b>.</p>`,
    ...overrides,
  };
}

async function received(to: string): Promise<ReceivedMail[]> {
  const all = await (await fetch(`${MAIL_API}/api/messages`)).json<ReceivedMail[]>();
  return all.filter((m) => m.envelope.to.includes(to));
}

async function sendError(promise: Promise<unknown>): Promise<SmtpError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SmtpError);
  return error as SmtpError;
}

describe("sendEmail", () => {
  it("delivers subject, text, html, reply-to and headers to the server, signed in", async () => {
    const mail = email({
      fromName: "Shop \"Café\"",
      replyTo: "support@shop.example",
      headers: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "Message-ID": "<rcpt-1@payments.test>" },
    });
    await sendEmail(env, mail);

    const mails = await received(mail.to);
    expect(mails).toHaveLength(1);
    const got = mails[0]!;
    expect(got).toMatchObject({
      subject: mail.subject,
      messageId: "<rcpt-1@payments.test>",
      envelope: { from: TEST_SMTP.from, to: [mail.to] },
    });
    expect(got.html.trim()).toBe(mail.html);
    expect(got.text.trim()).toBe(mail.text); // dot-stuffing undone, line breaks kept
    expect(got.from).toContain(TEST_SMTP.from);
    expect(got.from).toContain("Café");
    expect(got.replyTo).toBe("support@shop.example");
    expect(got.headers.traceparent).toBe(mail.headers!.traceparent);
  });

  it("sends without sign-in to a server that asks for none (npm run dev's), in plain text on loopback", async () => {
    const mail = email();
    await sendEmail({ ...env, SMTP_PORT: String(TEST_SMTP.openPort), SMTP_USER: "", SMTP_PASSWORD: "" }, mail);
    const all = await (await fetch(`http://127.0.0.1:${TEST_SMTP.openWebPort}/api/messages`)).json<ReceivedMail[]>();
    expect(all.filter((m) => m.envelope.to.includes(mail.to)).map((m) => m.subject)).toEqual([mail.subject]);
  });

  it("a wrong password is a permanent failure (535), and nothing is delivered", async () => {
    const mail = email();
    const error = await sendError(sendEmail({ ...env, SMTP_PASSWORD: "wrong-password" }, mail));
    expect(error).toMatchObject({ permanent: true, code: 535 });
    expect(error.message).not.toContain("wrong-password");
    expect(await received(mail.to)).toEqual([]);
  });

  it("a 451 from the server is transient, and the next send goes through", async () => {
    const mail = email();
    await fetch(`${MAIL_API}/api/fail-next`, { method: "POST", body: JSON.stringify({ count: 1, code: 451, to: mail.to }) });

    const error = await sendError(sendEmail(env, mail));
    expect(error).toMatchObject({ permanent: false, code: 451 });
    expect(await received(mail.to)).toEqual([]);

    await sendEmail(env, mail);
    expect(await received(mail.to)).toHaveLength(1);
  });

  // worker-mailer spun on the closed stream (starving every timer): the send hung for minutes
  for (const at of ["rcpt", "data"] as const) {
    it(`a 421 at ${at.toUpperCase()}, after which the server hangs up, is transient within a second, and the next send goes through`, async () => {
      const mail = email();
      await fetch(`${MAIL_API}/api/fail-next`, { method: "POST", body: JSON.stringify({ count: 1, code: 421, at, to: mail.to }) });

      const started = Date.now();
      const error = await sendError(sendEmail(env, mail));
      expect(Date.now() - started).toBeLessThan(1000);
      expect(error).toMatchObject({ permanent: false, code: 421 });
      expect(await received(mail.to)).toEqual([]);

      await sendEmail(env, mail);
      expect(await received(mail.to)).toHaveLength(1);
    });
  }

  it("a server that hangs up right after its greeting is transient, within a second", async () => {
    await fetch(`http://127.0.0.1:${TEST_SMTP.openWebPort}/api/drop-next`, { method: "POST", body: JSON.stringify({ count: 1 }) });
    const started = Date.now();
    const error = await sendError(sendEmail({ ...env, SMTP_PORT: String(TEST_SMTP.openPort), SMTP_USER: "", SMTP_PASSWORD: "" }, email()));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toMatchObject({ permanent: false, code: null });
    expect(error.message).toMatch(/closed the connection/);
  });

  it("a 554 from the server at the end of DATA is permanent", async () => {
    const mail = email();
    await fetch(`${MAIL_API}/api/fail-next`, { method: "POST", body: JSON.stringify({ count: 1, code: 554, to: mail.to }) });
    expect(await sendError(sendEmail(env, mail))).toMatchObject({ permanent: true, code: 554 });
  });

  it("a closed port is transient", async () => {
    const error = await sendError(sendEmail({ ...env, SMTP_PORT: "12139" }, email()));
    expect(error).toMatchObject({ permanent: false, code: null });
  });

  it("gives up on a server that never answers after SMTP_TIMEOUT_MS, as transient", async () => {
    await fetch(`http://127.0.0.1:${TEST_SMTP.openWebPort}/api/hang-next`, { method: "POST", body: JSON.stringify({ count: 1 }) });
    const started = Date.now();
    const error = await sendError(sendEmail({ ...env, SMTP_PORT: String(TEST_SMTP.openPort), SMTP_USER: "", SMTP_TIMEOUT_MS: "300" }, email()));
    expect(error).toMatchObject({ permanent: false, code: null });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("issues STARTTLS when security is starttls and never sends in plain text after a failed handshake", async () => {
    const sessions = async () => (await fetch(`${TLS_MAIL_API}/api/sessions`)).json<SmtpSessionRecord[]>();
    const before = (await sessions()).length;
    const mail = email();

    // the server's certificate is self-signed: workerd refuses it, so the handshake fails
    const error = await sendError(
      sendEmail({ ...env, SMTP_PORT: String(TEST_SMTP.tlsPort), SMTP_SECURITY: "starttls", SMTP_USER: "", SMTP_PASSWORD: "" }, mail),
    );
    expect(error.permanent).toBe(false);

    const mine = (await sessions()).slice(before);
    expect(mine.map((s) => s.commands)).toEqual([["EHLO", "STARTTLS"]]);
    const delivered = await (await fetch(`${TLS_MAIL_API}/api/messages`)).json<ReceivedMail[]>();
    expect(delivered.filter((m) => m.envelope.to.includes(mail.to))).toEqual([]);
  });

  it("stops before signing in when STARTTLS is required and the server does not offer it (no downgrade)", async () => {
    const sessions = async () => (await fetch(`http://127.0.0.1:${TEST_SMTP.webPort}/api/sessions`)).json<SmtpSessionRecord[]>();
    const before = (await sessions()).length;
    const mail = email();
    // this server offers no STARTTLS (and wants AUTH): a plain session would carry the password
    const error = await sendError(sendEmail({ ...env, SMTP_PORT: String(TEST_SMTP.port), SMTP_SECURITY: "starttls" }, mail));
    expect(error).toMatchObject({ permanent: false, code: null });
    expect(error.message).toMatch(/does not offer STARTTLS/);
    const commands = (await sessions()).slice(before).flatMap((s) => s.commands);
    expect(commands).toContain("EHLO");
    expect(commands).not.toContain("AUTH");
    expect(commands).not.toContain("MAIL");
  });

  it("refuses credentials over plain text to a remote host before connecting, and warns once", async () => {
    const logs = captureLogs();
    try {
      // 192.0.2.1 (TEST-NET-1) answers nothing: a connection attempt would hang until the timeout
      const remote = { ...env, SMTP_HOST: "192.0.2.1", SMTP_PORT: "25", SMTP_SECURITY: "none" };
      const started = Date.now();
      const first = await sendError(sendEmail(remote, email()));
      const second = await sendError(sendEmail(remote, email()));
      expect(Date.now() - started).toBeLessThan(1000);
      expect(first).toMatchObject({ permanent: true, code: null });
      expect(first.message).toMatch(/SMTP_SECURITY/);
      expect(second.message).toBe(first.message);

      const warnings = logs.lines().filter((l) => l.message === "smtp settings refused");
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ level: "warn", setting: "SMTP_SECURITY" });
      expect(logs.raw()).not.toContain(TEST_SMTP.password);
    } finally {
      logs.restore();
    }
  });

  it("refuses addresses and header values that would inject SMTP commands or headers", async () => {
    const cases: Array<[Partial<OutgoingEmail>, string]> = [
      [{ to: "a@example.com>\r\nRCPT TO:<b@example.com" }, "to"],
      [{ to: "a@example.com, b@example.com" }, "to"],
      [{ replyTo: "not an address" }, "replyTo"],
      [{ subject: "Receipt\r\nBcc: everyone@example.com" }, "subject"],
      [{ fromName: "Shop\nBcc: x@example.com" }, "fromName"],
      [{ headers: { "X-Note": "a\r\nBcc: x@example.com" } }, "header"],
      [{ headers: { "Bad Name": "x" } }, "header"],
    ];
    for (const [override, field] of cases) {
      const error = await sendError(sendEmail(env, email(override)));
      expect(error, field).toMatchObject({ permanent: true, code: null });
      expect(error.message).toContain(field);
    }
  });
});

describe("smtpConfigured", () => {
  it("is on when SMTP_HOST is set (the tests' server), off when it is empty", () => {
    expect(smtpConfigured(env)).toBe(true);
    expect(smtpConfigured({ ...env, SMTP_HOST: "" })).toBe(false);
    expect(smtpConfigured({ ...env, SMTP_HOST: "  " })).toBe(false);
  });
});

describe("replyCode", () => {
  it("reads the server's reply out of worker-mailer's errors, not the addresses they echo", () => {
    expect(replyCode("Failed to plain authentication: 535 5.7.8 Error: authentication failed")).toBe(535);
    expect(replyCode("Invalid RCPT TO: <u451 x@example.com> 550 5.1.1 No such user")).toBe(550);
    expect(replyCode("Failed send email body: 451-4.3.0 Busy\r\n451 4.3.0 Try later\r\n")).toBe(451);
    expect(replyCode("Timeout while waiting for smtp server response")).toBeNull();
    expect(replyCode("connect to 127.0.0.1:12139 refused")).toBeNull();
  });
});
