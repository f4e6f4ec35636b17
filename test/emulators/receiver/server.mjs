// A merchant's webhook receiver for tests: records every notification it gets and answers as it
// is told (fail the next N with a status, then 200).
import { createServer } from "node:http";

export function startReceiver({ port }) {
  const hooks = new Map();
  const hook = (name) => {
    if (!hooks.has(name)) hooks.set(name, { failNext: 0, status: 500, received: [] });
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
        h.received.push({ headers: req.headers, body, status: failing ? h.status : 200, at: Date.now() });
        res.statusCode = failing ? h.status : 200;
        return res.end(JSON.stringify({ ok: !failing }));
      }
      res.statusCode = 404;
      res.end("{}");
    });
  });
  return new Promise((resolve) =>
    server.listen(port, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(done)) })),
  );
}
