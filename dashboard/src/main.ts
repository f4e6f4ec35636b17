// The dashboard's entry point (scripts/build-dashboard.mjs bundles it into /dashboard/app.js, and
// the CSS it imports into /dashboard/app.css); the Worker's shell page has the #app element.
import "uplot/dist/uPlot.min.css";
import "./styles.css";
import { html, render } from "htm/preact";
import { App } from "./app";

render(html`<${App} />`, document.getElementById("app")!);
