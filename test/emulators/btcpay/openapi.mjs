// BTCPay Server's Greenfield API document (test/data/btcpay-openapi), compiled with Ajv. BTCPay
// publishes it in fragments and merges them at run time (a `$ref` in one points into another), so
// this merges their paths, components and x-webhooks into one document first. The emulator
// validates request bodies with it; the shapes test validates the emulator's answers and webhook
// bodies with it.
import { readFileSync } from "node:fs";
import { compileOpenApi } from "../openapi.mjs";

export const SPEC_FILES = ["swagger.template.json", "swagger.template.invoices.json", "swagger.template.pull-payments.json", "swagger.template.webhooks.json"];
/** The merged document's name: refs into it read `greenfield.json#/components/schemas/InvoiceData`. */
export const DOC = "greenfield.json";

const FORMATS = {
  // BTCPay writes decimals as invariant-culture strings: digits and an optional fraction.
  decimal: /^-?\d+(\.\d+)?$/,
  // Units rather than formats: the type beside each says what the value is.
  seconds: true,
  minutes: true,
  days: true,
  "unix timestamp in seconds": true,
};

const read = (file) => JSON.parse(readFileSync(new URL(`../../data/btcpay-openapi/${file}`, import.meta.url), "utf8"));

/**
 * Drops every `additionalProperties: false`. The document closes schemas that it then composes
 * with allOf (InvoiceData is InvoiceDataBase and its own fields; each webhook event is WebhookEvent
 * and its own), which in JSON Schema refuses the other part's fields; and BTCPay's deserializer
 * ignores fields it does not know. Fields no part names are found by shapeProblems instead.
 */
function withOpenSchemas(node) {
  if (Array.isArray(node)) return node.map(withOpenSchemas);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(Object.entries(node).filter(([key, value]) => !(key === "additionalProperties" && value === false)).map(([key, value]) => [key, withOpenSchemas(value)]));
}

export function loadBTCPaySpecs() {
  const [base, ...fragments] = SPEC_FILES.map(read);
  const doc = { ...base, paths: {}, components: { ...base.components }, "x-webhooks": {} };
  for (const fragment of fragments) {
    Object.assign(doc.paths, fragment.paths);
    Object.assign(doc["x-webhooks"], fragment["x-webhooks"]);
    for (const [section, entries] of Object.entries(fragment.components ?? {})) doc.components[section] = { ...doc.components[section], ...entries };
  }
  return compileOpenApi({ [DOC]: withOpenSchemas(doc) }, FORMATS);
}
