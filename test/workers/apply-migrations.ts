// Setup file: the D1 migrations are applied to the test database before any test runs
// (applyD1Migrations skips the ones already applied).
import { applyD1Migrations, env } from "cloudflare:test";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
