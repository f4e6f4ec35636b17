// The /docs page: Swagger UI over /openapi.json, loaded from the Worker's own static assets
// (/swagger-ui/*, copied from swagger-ui-dist at postinstall), so it renders with no internet.
import { html } from "hono/html";
import type { AppRouter } from "./router";

// Only this origin (plus data: images: swagger-ui.css draws its icons with them), so a script or
// stylesheet from a CDN creeping back in is refused by the browser. Swagger UI needs no inline
// styles or scripts.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:";

// A file, not an inline script, so the CSP needs no 'unsafe-inline' for scripts.
const INIT = `SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });\n`;

export function mountReferencePage(app: AppRouter, title: string) {
  app.get("/docs", (c) => {
    c.header("Content-Security-Policy", CSP);
    return c.html(html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<link rel="icon" href="/swagger-ui/favicon-32x32.png">
<link rel="stylesheet" href="/swagger-ui/swagger-ui.css">
<link rel="stylesheet" href="/swagger-ui/index.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`);
  });
  app.get("/docs/init.js", (c) => c.body(INIT, 200, { "Content-Type": "text/javascript; charset=utf-8" }));
}
