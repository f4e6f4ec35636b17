// A merchant's webhook receiver for tests: records every notification it gets and answers as it
// is told (fail the next N with a status, then 200; answer the next N only after delayMs).
import { createServer } from "node:http";

export function startReceiver({ port }) {
  const hooks = new Map();
  const hook = (name) => {
    if (!hooks.has(name)) hooks.set(name, { failNext: 0, status: 500, slowNext: 0, delayMs: 0, received: [] });
    return hooks.get(name);
  };
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const url = new URL(req.url, "http://localhost");
      const control = /^\/_control\/([\w-]+)$/.exec(url.pathname);
      const target = /^\/hooks\/([\w-]+)$/.exec(url.pathname);
      res.setHeader("Content-Type", "application/json");
      if (control && req.method === "POST") {
        Object.assign(hook(control[1]), JSON.parse(body || "{}"));
        return res.end("{}");
      }
      if (control) return res.end(JSON.stringify(hook(control[1]).received));
      if (target && req.method === "POST") {
        const h = hook(target[1]);
        const failing = h.failNext > 0;
        if (failing) h.failNext -= 1;
        const slow = h.slowNext > 0;
        if (slow) h.slowNext -= 1;
        h.received.push({ headers: req.headers, body, status: failing ? h.status : 200, at: Date.now(), slow });
        res.statusCode = failing ? h.status : 200;
        return setTimeout(() => res.end(JSON.stringify({ ok: !failing })), slow ? h.delayMs : 0);
      }
      res.statusCode = 404;
      res.end("{}");
    });
  });
  // port 0: any free port; the url names the one it got
  return new Promise((resolve) =>
    server.listen(port, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((done) => server.close(done)) }),
    ),
  );
}
