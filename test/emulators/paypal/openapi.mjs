// PayPal's published OpenAPI 3.0 documents (test/data/paypal-openapi), compiled with Ajv. The
// emulator validates request bodies with them and takes its error descriptions from them; the
// shapes test validates the emulator's answers with them. One loader, so both read the specs the
// same way.
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";

export const SPEC_FILES = ["checkout_orders_v2.json", "payments_payment_v2.json", "notifications_webhooks_v1.json"];

// PayPal's internal format names: the `pattern`, `minLength` and `maxLength` beside each already
// say what the value must look like, so the format itself accepts anything.
const PAYPAL_FORMATS = [
  "merchant_common_email_address_v2",
  "payer_v1",
  "ppaas_common_country_code_v2",
  "ppaas_common_currency_code_v2",
  "ppaas_common_email_address_v2",
  "ppaas_common_language_v3",
  "ppaas_date_notime_v2",
  "ppaas_date_time_v3",
  "ppaas_ip_address_v1",
  "ppaas_payer_id_v3",
];

/** JSON pointer escaping of one path segment (RFC 6901). */
const escape = (segment) => segment.replaceAll("~", "~0").replaceAll("/", "~1");

export function loadPayPalSpecs() {
  const docs = Object.fromEntries(
    SPEC_FILES.map((file) => [file, JSON.parse(readFileSync(new URL(`../../data/paypal-openapi/${file}`, import.meta.url), "utf8"))]),
  );
  // OpenAPI 3.0 documents are not JSON Schema documents: unknown keywords (example, xml,
  // readOnly...) are ignored rather than refused, and the whole document is registered so that a
  // JSON pointer can reach an operation's request or response schema as well as a component.
  // Some of PayPal's patterns are not valid with the `u` flag.
  const ajv = new Ajv({ strict: false, validateSchema: false, unicodeRegExp: false });
  addFormats(ajv);
  for (const format of PAYPAL_FORMATS) ajv.addFormat(format, true);
  for (const [file, doc] of Object.entries(docs)) ajv.addSchema(doc, file);

  const compiled = new Map();
  /** A validator for the schema at `ref` (`<file>#<JSON pointer>`), compiled once. */
  function validator(ref) {
    if (!compiled.has(ref)) compiled.set(ref, ajv.compile({ $ref: ref }));
    return compiled.get(ref);
  }

  /** The schema a local `$ref` (`#/components/schemas/x`) of `file` points at. */
  const resolve = (file, ref) =>
    ref
      .slice(2)
      .split("/")
      .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce((node, key) => node[key], docs[file]);

  const operationRef = (file, method, path) => `${file}#/paths/${escape(path)}/${method}`;
  const requestRef = (file, method, path) => `${operationRef(file, method, path)}/requestBody/content/application~1json/schema`;
  const responseRef = (file, method, path, status) => `${operationRef(file, method, path)}/responses/${status}/content/application~1json/schema`;

  /**
   * The description PayPal's spec gives `issue` in the error `status` answers for the operation
   * (its `details[].issue` alternatives), else in the document's generic schema for that status.
   */
  function issueDescription(file, method, path, status, issue) {
    const descriptions = new Map();
    const collect = (schema) => {
      if (!schema) return;
      if (schema.$ref) return collect(resolve(file, schema.$ref));
      schema.allOf?.forEach(collect);
      for (const branch of schema.properties?.details?.items?.anyOf ?? []) {
        const name = branch.properties?.issue?.enum?.[0];
        if (name && !descriptions.has(name)) descriptions.set(name, branch.properties.description?.enum?.[0]);
      }
    };
    collect(docs[file].paths[path]?.[method]?.responses?.[status]?.content?.["application/json"]?.schema);
    collect(docs[file].components.schemas[String(status)]);
    return descriptions.get(issue);
  }

  return { docs, validator, resolve, requestRef, responseRef, issueDescription };
}
