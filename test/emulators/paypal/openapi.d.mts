import type { CompiledSpecs, SpecDocument } from "../openapi.mjs";

export const SPEC_FILES: string[];

export function loadPayPalSpecs(): CompiledSpecs<Record<string, SpecDocument>> & {
  issueDescription(file: string, method: string, path: string, status: number, issue: string): string | undefined;
};
