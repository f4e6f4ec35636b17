// Published OpenAPI 3.0 documents compiled with Ajv, for the emulators and their shapes tests: an
// emulator validates request bodies with them, a shapes test validates the emulator's answers
// with them and finds the fields no schema names. One compiler, so every emulator and test reads
// the documents the same way.
import Ajv from "ajv";
import addFormats from "ajv-formats";

/** JSON pointer escaping of one path segment (RFC 6901). */
const escape = (segment) => segment.replaceAll("~", "~0").replaceAll("/", "~1");

/**
 * `docs`: the documents by name (a `$ref` between them is `<name>#<pointer>`). `formats`: the
 * documents' own format names, each `true` (anything: the type, pattern or length beside it says
 * what the value must look like) or a RegExp the value must match.
 */
export function compileOpenApi(docs, formats = {}) {
  // OpenAPI 3.0 documents are not JSON Schema documents: unknown keywords (example, xml,
  // readOnly...) are ignored rather than refused, and the whole document is registered so that a
  // JSON pointer can reach an operation's request or response schema as well as a component.
  // Some published patterns (PayPal's) are not valid with the `u` flag. Every violation is
  // reported, not only the first, so that an expected one cannot hide another.
  const ajv = new Ajv({ strict: false, validateSchema: false, unicodeRegExp: false, allErrors: true });
  addFormats(ajv);
  for (const [name, format] of Object.entries(formats)) ajv.addFormat(name, format);
  for (const [name, doc] of Object.entries(docs)) ajv.addSchema(doc, name);

  const compiled = new Map();
  /** A validator for the schema at `ref` (`<name>#<JSON pointer>`), compiled once. */
  function validator(ref) {
    if (!compiled.has(ref)) compiled.set(ref, ajv.compile({ $ref: ref }));
    return compiled.get(ref);
  }

  /** What a local JSON pointer (`#/components/schemas/x`, `#/paths/...`) of document `name` points at. */
  const resolve = (name, pointer) =>
    pointer
      .slice(2)
      .split("/")
      .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce((node, key) => node[key], docs[name]);

  const operationRef = (name, method, path) => `${name}#/paths/${escape(path)}/${method}`;
  const requestRef = (name, method, path) => `${operationRef(name, method, path)}/requestBody/content/application~1json/schema`;
  const responseRef = (name, method, path, status) => `${operationRef(name, method, path)}/responses/${status}/content/application~1json/schema`;

  /** The subschemas that all describe one value: the schema, what it references, and its allOf/anyOf/oneOf parts. */
  function parts(name, schema) {
    if (schema.$ref) return parts(name, resolve(name, schema.$ref));
    return [schema, ...[...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].flatMap((part) => parts(name, part))];
  }

  /** JSON paths of the fields in `value` that no schema describing them names (free-form objects excepted). */
  function unknownFields(name, schema, value, path = "") {
    const all = parts(name, schema);
    if (Array.isArray(value)) {
      const items = all.flatMap((s) => (s.items ? [s.items] : []));
      return value.flatMap((item, i) => unknownFields(name, { anyOf: items }, item, `${path}/${i}`));
    }
    if (value === null || typeof value !== "object" || all.some((s) => s.additionalProperties)) return [];
    const named = new Map();
    for (const s of all) for (const [key, sub] of Object.entries(s.properties ?? {})) named.set(key, [...(named.get(key) ?? []), sub]);
    if (named.size === 0) return [];
    return Object.entries(value).flatMap(([key, sub]) => (named.has(key) ? unknownFields(name, { anyOf: named.get(key) }, sub, `${path}/${key}`) : [`${path}/${key}`]));
  }

  /** The schema violations (JSON path, ajv keyword and message) and unnamed fields of `value` against the schema at `ref`. */
  function shapeProblems(value, ref) {
    const validate = validator(ref);
    const violations = validate(value) ? [] : validate.errors.map((e) => `${e.instancePath || "/"} ${e.keyword}: ${e.message}`);
    const [name, pointer] = ref.split("#");
    return [...violations, ...unknownFields(name, resolve(name, `#${pointer}`), value).map((path) => `${path} is not in the spec`)];
  }

  return { docs, validator, resolve, requestRef, responseRef, shapeProblems };
}
