// GET /readyz compares D1's newest applied migration with the one the code names
// (NEWEST_MIGRATION): a new migration file must move that name with it.
import { readdirSync } from "node:fs";
import { expect, it } from "vitest";
import { NEWEST_MIGRATION } from "../../shared/observability/readiness";

it("NEWEST_MIGRATION names the newest file in d1-migrations/", () => {
  const files = readdirSync("d1-migrations").filter((f) => f.endsWith(".sql")).sort();
  expect(NEWEST_MIGRATION).toBe(files.at(-1));
});
