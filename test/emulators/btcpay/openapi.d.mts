import type { CompiledSpecs, SpecDocument } from "../openapi.mjs";

export const SPEC_FILES: string[];
/** The merged document's name: refs into it read `greenfield.json#/components/schemas/InvoiceData`. */
export const DOC: "greenfield.json";

/** The four fragments merged into one document (paths, components, x-webhooks), named DOC. */
export function loadBTCPaySpecs(): CompiledSpecs<{ "greenfield.json": SpecDocument & { "x-webhooks": Record<string, unknown> } }>;
