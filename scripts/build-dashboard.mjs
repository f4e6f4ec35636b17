// Builds the dashboard (dashboard/src, Preact + htm) into the Worker's static assets:
// assets/dashboard/app.js and app.css, minified for ES2022 browsers, served at /dashboard/app.js and
// /dashboard/app.css before the Worker runs. Run at postinstall and by `npm run build`;
// `--watch` rebuilds on every change (`npm run dev`); `--outdir DIR` builds elsewhere (the tests).
// Prints the gzip size of the JS and CSS, the figure the first page costs a browser.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const watch = args.includes("--watch");
const outdir = args.includes("--outdir") ? args[args.indexOf("--outdir") + 1] : join(root, "assets/dashboard");

const gzipKb = (file) => gzipSync(readFileSync(join(outdir, file))).length / 1024;

/** After every build: the size a browser downloads for the first page. */
const reportSize = {
  name: "report-size",
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length > 0) return;
      const js = gzipKb("app.js");
      const css = gzipKb("app.css");
      console.log(`▸ dashboard built: app.js ${js.toFixed(1)} KB + app.css ${css.toFixed(1)} KB = ${(js + css).toFixed(1)} KB gzip`);
    });
  },
};

// The libraries bundled into app.js, whose licences (MIT) ask that their notices go with every
// copy: written to LICENSES.txt beside the bundle (their minified code keeps none).
const BUNDLED = ["preact", "htm", "preact-iso", "uplot"];

/** After every build: the bundled libraries' licences, served at /dashboard/LICENSES.txt. */
const licences = {
  name: "licences",
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length > 0) return;
      const text = BUNDLED.map((name) => `${name}\n\n${readFileSync(join(root, "node_modules", name, "LICENSE"), "utf8").trim()}\n`);
      mkdirSync(outdir, { recursive: true });
      writeFileSync(join(outdir, "LICENSES.txt"), `${text.join("\n\n")}`);
    });
  },
};

const options = {
  absWorkingDir: root,
  // main.ts imports its CSS (uPlot's included), which esbuild gathers into app.css
  entryPoints: { app: "dashboard/src/main.ts" },
  outdir,
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  // the licences go to app.js.LEGAL.txt beside the bundle: the bundle itself names no other host
  legalComments: "external",
  logLevel: "warning",
  plugins: [reportSize, licences],
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => context.dispose().then(() => process.exit(0)));
} else {
  await esbuild.build(options);
}
