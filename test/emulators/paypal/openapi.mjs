// PayPal's published OpenAPI 3.0 documents (test/data/paypal-openapi), compiled with Ajv. The
// emulator validates request bodies with them and takes its error descriptions from them; the
// shapes test validates the emulator's answers with them.
import { readFileSync } from "node:fs";
import { compileOpenApi } from "../openapi.mjs";

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

export function loadPayPalSpecs() {
  const docs = Object.fromEntries(
    SPEC_FILES.map((file) => [file, JSON.parse(readFileSync(new URL(`../../data/paypal-openapi/${file}`, import.meta.url), "utf8"))]),
  );
  const specs = compileOpenApi(docs, Object.fromEntries(PAYPAL_FORMATS.map((format) => [format, true])));

  /**
   * The description PayPal's spec gives `issue` in the error `status` answers for the operation
   * (its `details[].issue` alternatives), else in the document's generic schema for that status.
   */
  function issueDescription(file, method, path, status, issue) {
    const descriptions = new Map();
    const collect = (schema) => {
      if (!schema) return;
      if (schema.$ref) return collect(specs.resolve(file, schema.$ref));
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

  return { ...specs, issueDescription };
}
