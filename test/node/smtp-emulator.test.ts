// The local SMTP server (test/emulators/smtp) behaves as npm run dev and the email tests rely on:
// it takes mail only with the right sign-in, keeps it newest first and bounded, refuses on request,
// and shows each mail on a page where the mail's own HTML cannot run or break out.
import { connect } from "node:net";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSmtpServer, type ReceivedMail } from "../emulators/smtp/server.mjs";

const USER = "local-user";
const PASSWORD = "local-password";

let server: Awaited<ReturnType<typeof startSmtpServer>>;

beforeAll(async () => {
  server = await startSmtpServer({ smtpPort: 0, webPort: 0, user: USER, password: PASSWORD, max: 3 });
});
afterAll(() => server.close());
beforeEach(async () => {
  await fetch(`${server.url}/api/messages`, { method: "DELETE" });
});

function send(mail: { to?: string; subject?: string; text?: string; html?: string; headers?: Record<string, string> } = {}, pass = PASSWORD) {
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port: server.smtpPort, secure: false, auth: { user: USER, pass } });
  return transport.sendMail({ from: '"Shop" <receipts@pay.example.com>', to: "buyer@example.com", subject: "Receipt", text: "Paid.", html: "<p>Paid.</p>", ...mail });
}

const page = async (path: string) => {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
};
/** Sends each line after the previous reply, and resolves with everything the server sent once it hangs up. */
function dialogue(lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.smtpPort, "127.0.0.1");
    const pending = [...lines];
    let heard = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      heard += chunk;
      const next = pending.shift();
      if (next !== undefined) socket.write(`${next}\r\n`);
    });
    socket.on("end", () => resolve(heard));
    socket.on("error", reject);
  });
}
const messages = async () => (await fetch(`${server.url}/api/messages`)).json() as Promise<ReceivedMail[]>;

describe("smtp emulator", () => {
  it("lists a received mail on its page: to, subject, from and a link to the mail", async () => {
    await send({ subject: "Your receipt for ORD-1" });
    const [mail] = await messages();
    const list = await page("/");
    expect(list.status).toBe(200);
    expect(list.type).toContain("text/html");
    expect(list.body).toContain('name="viewport"');
    expect(list.body).toContain("Your receipt for ORD-1");
    expect(list.body).toContain("buyer@example.com");
    expect(list.body).toContain("receipts@pay.example.com");
    expect(list.body).toContain(`href="/messages/${mail!.id}"`);
  });

  it("escapes the mail on both pages and shows its HTML only inside a sandboxed srcdoc iframe", async () => {
    const html = `<p onclick="x()">Hi "there" & <script>alert(1)</script></p>`;
    await send({ subject: "<img src=x onerror=alert(1)>", text: "Total: <b>not bold</b>", html });
    const [mail] = await messages();

    const list = await page("/");
    expect(list.body).not.toContain("<img src=x");
    expect(list.body).toContain("&lt;img src=x onerror=alert(1)&gt;");

    const one = await page(`/messages/${mail!.id}`);
    expect(one.status).toBe(200);
    expect(one.body).not.toContain("<script>alert(1)</script>");
    expect(one.body).not.toContain("<b>not bold</b>");
    expect(one.body).toContain("Total: &lt;b&gt;not bold&lt;/b&gt;");
    const iframe = /<iframe sandbox="" srcdoc="([^"]*)"/.exec(one.body);
    expect(iframe, "a sandboxed iframe").not.toBeNull();
    // the attribute decodes back to the mail's HTML, and holds no quote that could end it
    const decoded = iframe![1]!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
    expect(decoded.trim()).toBe(html);
  });

  it("answers 404 for a mail it does not have", async () => {
    expect((await page("/messages/m999999")).status).toBe(404);
  });

  it("keeps headers (traceparent) and the envelope in its JSON, newest first, at most `max`", async () => {
    for (const n of [1, 2, 3, 4]) await send({ subject: `n${n}`, headers: { traceparent: `00-${"a".repeat(32)}-${"b".repeat(15)}${n}-01` } });
    const all = await messages();
    expect(all.map((m) => m.subject)).toEqual(["n4", "n3", "n2"]);
    expect(all[0]!.headers.traceparent).toBe(`00-${"a".repeat(32)}-${"b".repeat(15)}4-01`);
    expect(all[0]!.envelope).toEqual({ from: "receipts@pay.example.com", to: ["buyer@example.com"] });
  });

  it("refuses a wrong password with 535 and keeps nothing", async () => {
    await expect(send({}, "wrong")).rejects.toMatchObject({ responseCode: 535 });
    expect(await messages()).toEqual([]);
  });

  it("refuses the next N messages with the code asked, only those to the address given", async () => {
    const refuse = await fetch(`${server.url}/api/fail-next`, { method: "POST", body: JSON.stringify({ count: 2, code: 451, to: "later@example.com" }) });
    expect(refuse.status).toBe(200);

    await send({ subject: "other recipient" }); // not matched: delivered
    await expect(send({ to: "later@example.com" })).rejects.toMatchObject({ responseCode: 451 });
    await expect(send({ to: "later@example.com" })).rejects.toMatchObject({ responseCode: 451 });
    await send({ to: "later@example.com", subject: "third try" });
    expect((await messages()).map((m) => m.subject)).toEqual(["third try", "other recipient"]);
  });

  it("refuses RCPT TO when asked, and hangs up after a 421 (as real servers do)", async () => {
    await fetch(`${server.url}/api/fail-next`, { method: "POST", body: JSON.stringify({ code: 550, at: "rcpt", to: "gone@example.com" }) });
    await expect(send({ to: "gone@example.com" })).rejects.toMatchObject({ responseCode: 550, command: "RCPT TO" });

    await fetch(`${server.url}/api/fail-next`, { method: "POST", body: JSON.stringify({ code: 421, at: "rcpt", to: "busy@example.com" }) });
    const talk = await dialogue(["EHLO client", `AUTH PLAIN ${btoa(`\0${USER}\0${PASSWORD}`)}`, "MAIL FROM:<a@example.com>", "RCPT TO:<busy@example.com>"]);
    expect(talk).toMatch(/\r\n421 [^\r]*\r\n$/); // the connection ended right after the 421
    expect(await messages()).toEqual([]);
  });

  it("greets the next connection and hangs up when asked (drop-next)", async () => {
    expect((await fetch(`${server.url}/api/drop-next`, { method: "POST", body: JSON.stringify({ count: 1 }) })).status).toBe(200);
    expect(await dialogue([])).toMatch(/^220 [^\r]*\r\n$/);
    expect(await dialogue(["QUIT"])).toMatch(/^220 .*\r\n221 /s); // only the next one
  });

  it("names the field of a bad failure request", async () => {
    const res = await fetch(`${server.url}/api/fail-next`, { method: "POST", body: JSON.stringify({ count: 1, code: 250 }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ param: "code" });
    const at = await fetch(`${server.url}/api/fail-next`, { method: "POST", body: JSON.stringify({ code: 451, at: "mail" }) });
    expect(await at.json()).toMatchObject({ param: "at" });
  });
});
