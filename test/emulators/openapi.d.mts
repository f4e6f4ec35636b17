import type { ValidateFunction } from "ajv";
import type { FormatDefinition } from "ajv";

/** A JSON schema as the OpenAPI documents write them (the parts the shape checks read). */
export interface SpecSchema {
  $ref?: string;
  type?: string;
  properties?: Record<string, SpecSchema>;
  items?: SpecSchema;
  allOf?: SpecSchema[];
  anyOf?: SpecSchema[];
  oneOf?: SpecSchema[];
  additionalProperties?: boolean | SpecSchema;
  enum?: unknown[];
}

/** An OpenAPI document (the parts the emulators and tests read). */
export interface SpecDocument {
  paths: Record<string, unknown>;
  components: { schemas: Record<string, SpecSchema> };
  [key: string]: unknown;
}

export interface CompiledSpecs<Docs extends Record<string, SpecDocument>> {
  /** The documents, by name. */
  docs: Docs;
  /** A validator for the schema at `ref` (`<name>#<JSON pointer>`), compiled once. */
  validator(ref: string): ValidateFunction;
  /** What a JSON pointer (`#/components/schemas/x`, `#/paths/...`) of document `name` points at. */
  resolve(name: string, pointer: string): SpecSchema;
  requestRef(name: string, method: string, path: string): string;
  responseRef(name: string, method: string, path: string, status: number | string): string;
  /** `<path> <keyword>: <message>` per schema violation, then `<path> is not in the spec` per field no schema names. */
  shapeProblems(value: unknown, ref: string): string[];
}

export function compileOpenApi<Docs extends Record<string, SpecDocument>>(docs: Docs, formats?: Record<string, true | RegExp | FormatDefinition<string>>): CompiledSpecs<Docs>;
