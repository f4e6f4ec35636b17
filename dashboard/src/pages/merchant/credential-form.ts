// The form that connects a merchant's own account at a channel, made from the body schema of its
// PUT /api/v1/merchant/channels/{channel} in the API's own OpenAPI document, the schema the API
// validates with (the channel definition's credentials): one input per field, a password input for
// each secret (writeOnly: never answered back), a select for a choice, defaults filled in. A
// channel added to the platform gets its form with no change here.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { SelectField, TextField } from "../../components/field";

interface JsonSchema {
  type?: string;
  enum?: string[];
  default?: unknown;
  writeOnly?: boolean;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

/** What the dashboard reads of GET /openapi.json. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
}

export interface CredentialField {
  name: string;
  schema: JsonSchema;
  required: boolean;
}

export const OPENAPI_PATH = "/openapi.json";

/** The fields of the credentials `path` takes with PUT, in the schema's order; none if it takes none. */
export function credentialFields(doc: OpenApiDocument, path: string): CredentialField[] {
  const body = doc.paths[path]?.put?.requestBody?.content["application/json"]?.schema;
  return Object.entries(body?.properties ?? {}).map(([name, schema]) => ({
    name,
    schema,
    required: body?.required?.includes(name) ?? false,
  }));
}

const ACRONYMS = new Set(["api", "id", "url"]);

/** A field's name in words: "server_url" → "Server URL", "secret_key_hint" → "Secret key hint". */
export const labelOf = (name: string) =>
  name
    .split("_")
    .map((word, i) => (ACRONYMS.has(word) ? word.toUpperCase() : i === 0 ? word.charAt(0).toUpperCase() + word.slice(1) : word))
    .join(" ");

const numeric = (schema: JsonSchema) => schema.type === "integer" || schema.type === "number";

function hintOf({ name, schema, required }: CredentialField) {
  return [
    schema.description,
    `API field ${name}`,
    schema.writeOnly && "secret: stored sealed, never shown again",
    !required && schema.default === undefined && "optional",
  ]
    .filter(Boolean)
    .join("; ");
}

/** The JSON body: numbers as numbers, optional fields left empty left out. */
function bodyOf(fields: CredentialField[], values: Record<string, string>) {
  const body: Record<string, string | number> = {};
  for (const field of fields) {
    const value = values[field.name]!.trim();
    if (value === "" && !field.required) continue;
    body[field.name] = numeric(field.schema) && value !== "" ? Number(value) : value;
  }
  return body;
}

export interface CredentialFormProps {
  fields: CredentialField[];
  /** Names the form and its button ("Connect stripe"). */
  action: string;
  busy: boolean;
  onSubmit: (body: Record<string, string | number>) => void;
}

export function CredentialForm({ fields, action, busy, onSubmit }: CredentialFormProps) {
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((f) => [f.name, f.schema.default === undefined ? "" : String(f.schema.default)])),
  );
  const set = (name: string) => (value: string) => setValues((previous) => ({ ...previous, [name]: value }));
  const submit = (event: Event) => {
    event.preventDefault();
    onSubmit(bodyOf(fields, values));
  };
  return html`<form aria-label=${action} onSubmit=${submit}>
    ${fields.map((field) =>
      field.schema.enum
        ? html`<${SelectField}
            key=${field.name}
            label=${labelOf(field.name)}
            name=${field.name}
            value=${values[field.name]}
            onValue=${set(field.name)}
            options=${field.schema.enum.map((v) => ({ value: v, label: v }))}
            hint=${hintOf(field)}
          />`
        : html`<${TextField}
            key=${field.name}
            label=${labelOf(field.name)}
            name=${field.name}
            type=${field.schema.writeOnly ? "password" : numeric(field.schema) ? "number" : "text"}
            autocomplete=${field.schema.writeOnly ? "new-password" : "off"}
            required=${field.required}
            value=${values[field.name]}
            onValue=${set(field.name)}
            hint=${hintOf(field)}
          />`,
    )}
    <button type="submit" class="primary" disabled=${busy}>${action}</button>
  </form>`;
}
