// Runs in Node: the OpenAPI schema validator compiles JSON Schema to code, which workerd forbids.
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { app } from "../../workers/app";
import { OPENAPI_INFO } from "../../workers/openapi/document";

describe("OpenAPI document", () => {
  it("is valid against the OpenAPI 3.1 schema", async () => {
    const doc = app.getOpenAPI31Document({ openapi: "3.1.0", info: OPENAPI_INFO });
    const validator = new Validator();
    const result = await validator.validate(doc as unknown as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });
});
