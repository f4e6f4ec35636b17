// Turns a zod failure into the platform's 400: the first issue names the field (`param`)
// and says what is wrong with it, in the vocabulary merchants know from Stripe.
import type { z } from "@hono/zod-openapi";
import { invalidRequest } from "../../shared/errors";

export function paramPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`))
    .join("");
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const part of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/** `input` is what was validated: it tells a missing field from a field of the wrong type. */
export function validationError(error: z.ZodError, target: string, input: unknown) {
  const issue = error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const param = paramPath([...issue.path, issue.keys[0]!]);
    return invalidRequest("parameter_unknown", `Received unknown parameter: ${param}.`, param);
  }
  const param = paramPath(issue.path);
  const missing = issue.code === "invalid_type" && valueAt(input, issue.path) === undefined;
  if (missing) {
    return invalidRequest(
      "parameter_missing",
      param ? `Missing required parameter: ${param}.` : `Missing ${target}.`,
      param || undefined,
    );
  }
  const custom = issue.code === "custom" ? (issue.params?.code as string | undefined) : undefined;
  const subject = param ? `Invalid ${param}` : `Invalid ${target}`;
  return invalidRequest(custom ?? "parameter_invalid", `${subject}: ${issue.message}.`, param || undefined);
}
