// postinstall: copies the files /docs needs from the pinned swagger-ui-dist package into the
// Worker's static assets (assets/, git-ignored), so the reference page loads nothing from another
// host. Emptied first: an upgrade must not leave the previous version's files behind.
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const FILES = ["swagger-ui-bundle.js", "swagger-ui.css", "index.css", "favicon-32x32.png"];

const source = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const target = fileURLToPath(new URL("../assets/swagger-ui", import.meta.url));
rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
for (const file of FILES) copyFileSync(join(source, file), join(target, file));
