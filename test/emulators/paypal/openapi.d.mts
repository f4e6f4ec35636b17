import type { ValidateFunction } from "ajv";

export const SPEC_FILES: string[];

/** A JSON schema as PayPal's OpenAPI documents write them (the parts the shape checks read). */
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

export function loadPayPalSpecs(): {
  /** The three documents, by file name. */
  docs: Record<string, { paths: Record<string, unknown>; components: { schemas: Record<string, SpecSchema> } }>;
  /** A validator for the schema at `ref` (`<file>#<JSON pointer>`), compiled once. */
  validator(ref: string): ValidateFunction;
  /** What a JSON pointer (`#/components/schemas/x`, `#/paths/...`) of `file` points at. */
  resolve(file: string, ref: string): SpecSchema;
  requestRef(file: string, method: string, path: string): string;
  responseRef(file: string, method: string, path: string, status: number | string): string;
  issueDescription(file: string, method: string, path: string, status: number, issue: string): string | undefined;
};
