// The dashboard's one HTML page. The app (/dashboard/app.js and app.css, static assets built from
// dashboard/ by scripts/build-dashboard.mjs) draws every /dashboard path in the browser.

// Everything from this origin only: no inline script or style, no other host, no framing.
export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export const SHELL_HEADERS = {
  "Content-Security-Policy": DASHBOARD_CSP,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  // the page is the same for everyone, but never kept: a signed-out browser must not show a copy
  "Cache-Control": "no-store",
};

export const SHELL_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Payments dashboard</title>
<link rel="stylesheet" href="/dashboard/app.css">
<script type="module" src="/dashboard/app.js"></script>
</head>
<body>
<div id="app"></div>
<noscript><p>The dashboard needs JavaScript. The same data is available from the API: see <a href="/docs">/docs</a>.</p></noscript>
</body>
</html>
`;
