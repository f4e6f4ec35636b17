// A local SMTP server for tests and local development, with a page of the mails it received. It
// takes mail on 127.0.0.1 (plain; STARTTLS offered only when asked, with smtp-server's self-signed
// certificate), requires and checks AUTH PLAIN/LOGIN when given a user (else offers none), parses
// each message (mailparser) and keeps the newest in memory. Beside it an HTTP server shows them:
//   GET /                 the received mails (to, subject, from, when), newest first
//   GET /messages/:id     one mail: its text, and its HTML in a sandboxed iframe
//   GET /api/messages     the same as JSON; DELETE /api/messages forgets them all
//   POST /api/fail-next   {"count":2,"code":451} refuses the next 2 messages with 451 ("to": only
//                         those to that address, so tests sharing the server do not collide;
//                         "at":"rcpt" refuses RCPT TO, else the end of DATA); a 421 hangs up
//   POST /api/hang-next   {"count":1} never greets the next connection (a hung server)
//   POST /api/drop-next   {"count":1} greets the next connection, then hangs up
//   GET /api/sessions     per connection, the SMTP commands the client sent (names only)
//
//   node test/emulators/smtp/server.mjs --smtp-port 1025 --web-port 8025
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

const HOST = "127.0.0.1";

const escape = (value) =>
  String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

/** Header lines as name (lower case) -> unfolded value; repeated headers joined by newlines. */
function headerRecord(lines) {
  const out = {};
  for (const { key, line } of lines) {
    const value = line.slice(line.indexOf(":") + 1).replace(/\r?\n[ \t]+/g, " ").trim();
    out[key] = key in out ? `${out[key]}\n${value}` : value;
  }
  return out;
}

const PAGE_STYLE = `
  body { font: 16px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 56rem; padding: 1rem; color: #1a1a1a; }
  h1 { font-size: 1.3rem; } a { color: #0b57d0; }
  ul { list-style: none; padding: 0; } li { border-bottom: 1px solid #ddd; padding: .6rem 0; }
  .meta { color: #555; font-size: .9rem; overflow-wrap: anywhere; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .8rem; } dt { color: #555; } dd { margin: 0; overflow-wrap: anywhere; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f6f6; padding: .8rem; }
  iframe { width: 100%; min-height: 28rem; border: 1px solid #ccc; }`;

const page = (title, body) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title><style>${PAGE_STYLE}</style></head>
<body>${body}</body></html>`;

function listPage(messages) {
  const items = messages.map(
    (m) => `<li><a href="/messages/${escape(m.id)}">${escape(m.subject || "(no subject)")}</a>
<div class="meta">to ${escape(m.to)} · from ${escape(m.from)} · <time datetime="${escape(m.receivedAt)}">${escape(m.receivedAt)}</time></div></li>`,
  );
  const list = items.length ? `<ul>${items.join("\n")}</ul>` : "<p>No mail yet. Receipts and alerts the platform sends appear here.</p>";
  return page("Local mail", `<h1>Local mail (${messages.length})</h1>${list}`);
}

function messagePage(m) {
  const fields = [["From", m.from], ["To", m.to], ["Reply-To", m.replyTo], ["Subject", m.subject], ["Date", m.date], ["Message-ID", m.messageId]]
    .filter(([, value]) => value)
    .map(([name, value]) => `<dt>${name}</dt><dd>${escape(value)}</dd>`)
    .join("");
  // sandbox="": the mail's HTML is shown, but its scripts, forms and plugins stay inert and it cannot reach this page
  const html = m.html ? `<h2>HTML</h2><iframe sandbox="" srcdoc="${escape(m.html)}" title="HTML body"></iframe>` : "";
  return page(m.subject || "(no subject)", `<p><a href="/">← All mail</a></p><h1>${escape(m.subject || "(no subject)")}</h1>
<dl>${fields}</dl>${html}<h2>Text</h2><pre>${escape(m.text)}</pre>`);
}

/**
 * `user`/`password`: AUTH is required and checked (else not offered: mail is taken from anyone);
 * `startTls`: offer STARTTLS; `max`: how many mails are kept (the oldest go first). Port 0 takes
 * any free port.
 */
export function startSmtpServer({ smtpPort = 1025, webPort = 8025, user, password, startTls = false, max = 500 } = {}) {
  const messages = [];
  /** Refusals still to give: { count, code, message, at, to? }. */
  let failing = [];
  const sessions = new Map();
  let sequence = 0;
  let hanging = 0;
  let dropping = 0;

  /** The next refusal for a command ("rcpt" or "data") to these recipients, counted as given. */
  const takeRefusal = (at, recipients) => {
    const found = failing.find((f) => f.count > 0 && f.at === at && (!f.to || recipients.includes(f.to)));
    if (!found) return null;
    found.count -= 1;
    failing = failing.filter((f) => f.count > 0);
    // smtp-server hangs up after any 421 it sends
    return Object.assign(new Error(found.message), { responseCode: found.code });
  };

  const session = (cid) => {
    if (!sessions.has(cid)) sessions.set(cid, { id: cid, commands: [], errors: [] });
    if (sessions.size > max) sessions.delete(sessions.keys().next().value);
    return sessions.get(cid);
  };
  // smtp-server's logger is the one place every command passes (names only: AUTH carries secrets)
  const noop = () => {};
  const logger = {
    debug: (entry) => entry?.tnx === "command" && session(entry.cid).commands.push(entry.command),
    error: (entry) => entry?.tnx === "error" && entry.cid && session(entry.cid).errors.push(entry.err?.message),
    info: noop,
    warn: noop,
    trace: noop,
    fatal: noop,
    child: () => logger,
  };

  const smtp = new SMTPServer({
    secure: false,
    logger,
    banner: "local mail server",
    // without a user AUTH is not offered at all: worker-mailer, seeing it offered, insists on signing in
    disabledCommands: [...(startTls ? [] : ["STARTTLS"]), ...(user ? [] : ["AUTH"])],
    authOptional: !user,
    authMethods: ["PLAIN", "LOGIN"],
    // plain-text AUTH is fine on loopback; the platform decides what it sends where
    allowInsecureAuth: true,
    size: 10 * 1024 * 1024,
    onConnect(connectSession, callback) {
      if (hanging > 0) return void (hanging -= 1); // no callback: no greeting, ever
      callback(); // greets at once
      if (dropping > 0) {
        dropping -= 1;
        [...smtp.connections].find((c) => c.id === connectSession.id)?.close();
      }
    },
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) return callback(null, { user: auth.username });
      callback(Object.assign(new Error("Authentication credentials invalid"), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      callback(takeRefusal("rcpt", [address.address.toLowerCase()]));
    },
    onData(stream, smtpSession, callback) {
      const refused = takeRefusal("data", smtpSession.envelope.rcptTo.map((r) => r.address.toLowerCase()));
      if (refused) {
        stream.on("end", () => callback(refused));
        return stream.resume();
      }
      simpleParser(stream)
        .then((parsed) => {
          messages.unshift({
            id: `m${++sequence}`,
            from: parsed.from?.text ?? "",
            to: parsed.to ? [parsed.to].flat().map((a) => a.text).join(", ") : "",
            replyTo: parsed.replyTo?.text ?? "",
            subject: parsed.subject ?? "",
            date: parsed.date?.toISOString() ?? null,
            messageId: parsed.messageId ?? "",
            envelope: { from: smtpSession.envelope.mailFrom?.address ?? "", to: smtpSession.envelope.rcptTo.map((r) => r.address) },
            text: parsed.text ?? "",
            html: parsed.html || "",
            headers: headerRecord(parsed.headerLines),
            receivedAt: new Date().toISOString(),
          });
          messages.length = Math.min(messages.length, max);
          callback(null, `Queued as ${messages[0].id}`);
        })
        .catch((error) => callback(Object.assign(error, { responseCode: 554 })));
    },
  });
  // a client that drops the connection or fails a TLS handshake is recorded above, not fatal
  smtp.on("error", noop);

  const web = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const url = new URL(req.url, "http://localhost");
      const json = (status, value) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(value));
      };
      const html = (status, text) => {
        res.writeHead(status, { "Content-Type": "text/html; charset=utf-8" });
        res.end(text);
      };
      const one = /^\/messages\/([\w-]+)$/.exec(url.pathname);
      if (req.method === "GET" && url.pathname === "/") return html(200, listPage(messages));
      if (req.method === "GET" && one) {
        const message = messages.find((m) => m.id === one[1]);
        return message ? html(200, messagePage(message)) : html(404, page("Not found", `<p>No mail ${escape(one[1])}. <a href="/">All mail</a></p>`));
      }
      if (req.method === "GET" && url.pathname === "/api/messages") return json(200, messages);
      if (req.method === "DELETE" && url.pathname === "/api/messages") {
        messages.length = 0;
        return json(200, {});
      }
      if (req.method === "POST" && url.pathname === "/api/hang-next") {
        const { count = 1 } = JSON.parse(body || "{}");
        if (!Number.isInteger(count) || count < 1) return json(400, { error: "count must be a whole number above 0", param: "count" });
        hanging += count;
        return json(200, { count: hanging });
      }
      if (req.method === "POST" && url.pathname === "/api/drop-next") {
        const { count = 1 } = JSON.parse(body || "{}");
        if (!Number.isInteger(count) || count < 1) return json(400, { error: "count must be a whole number above 0", param: "count" });
        dropping += count;
        return json(200, { count: dropping });
      }
      if (req.method === "GET" && url.pathname === "/api/sessions") return json(200, [...sessions.values()]);
      if (req.method === "POST" && url.pathname === "/api/fail-next") {
        const { count = 1, code = 451, message = code >= 500 ? "Rejected" : "Try again later", to, at = "data" } = JSON.parse(body || "{}");
        if (!Number.isInteger(count) || count < 1) return json(400, { error: "count must be a whole number above 0", param: "count" });
        if (!Number.isInteger(code) || code < 400 || code > 599) return json(400, { error: "code must be an SMTP error code (400-599)", param: "code" });
        if (to !== undefined && typeof to !== "string") return json(400, { error: "to must be an address", param: "to" });
        if (at !== "rcpt" && at !== "data") return json(400, { error: 'at must be "rcpt" or "data"', param: "at" });
        const refusal = { count, code, message: String(message), at, ...(to && { to: to.toLowerCase() }) };
        failing.push(refusal);
        return json(200, refusal);
      }
      json(404, { error: "not found" });
    });
  });

  const listen = (server, port) =>
    new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, HOST, () => resolve(server.address().port));
    });
  return Promise.all([listen(smtp.server, smtpPort), listen(web, webPort)]).then(
    ([boundSmtp, boundWeb]) => ({
      smtpPort: boundSmtp,
      url: `http://${HOST}:${boundWeb}`,
      messages: () => [...messages],
      close: () => Promise.all([new Promise((done) => smtp.close(done)), new Promise((done) => web.close(done))]).then(() => {}),
    }),
    (error) => {
      smtp.server.close();
      web.close();
      throw error;
    },
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const server = await startSmtpServer({ smtpPort: Number(arg("smtp-port", 1025)), webPort: Number(arg("web-port", 8025)), user: arg("user"), password: arg("password") });
  console.log(`SMTP on ${HOST}:${server.smtpPort}; mail at ${server.url}`);
}
