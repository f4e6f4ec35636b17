// A merchant's routing configuration (issue #14), as POST /api/v1/routing/configs takes it: rules,
// first match wins, each sending a payment to a priority list of channels or to a volume split of
// such lists, and a default for payments no rule matches. Every refusal names its JSON path
// (`rules[0].when.all[1].op`): a condition and an output are each one object whose form is checked
// by hand, because a zod union would report a failure inside one branch as "no branch matched" at
// the union's own path. What the schema outputs (defaults filled in, currency codes upper-cased) is
// what is stored and evaluated.
import { z } from "@hono/zod-openapi";
import { CHANNELS, type ChannelName } from "../channels/registry";
import { countrySchema } from "../countries";
import { currencySchema } from "../money/amount";

const OPS = ["eq", "ne", "lt", "lte", "gt", "gte", "in", "not_in"] as const;
type Op = (typeof OPS)[number];

const FIELDS = ["amount", "currency", "payment_method", "customer_country"] as const;
export type Field = (typeof FIELDS)[number] | `metadata.${string}`;

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { field: Field; op: Op; value: Value };
type Value = number | string | number[] | string[];

/** One value of each field, as the payment states it (metadata: the part after `metadata.`). */
const VALUES: Record<(typeof FIELDS)[number] | "metadata", z.ZodType> = {
  amount: z.number().int("must be an integer number of minor units").min(0).max(Number.MAX_SAFE_INTEGER),
  currency: currencySchema,
  payment_method: z.string().min(1).max(100),
  customer_country: countrySchema,
  metadata: z.string().max(500),
};

/** Only amounts are ordered; a range on a code or a name would compare spelling. */
const EQUALITY_OPS: readonly Op[] = ["eq", "ne", "in", "not_in"];
const LIST_OPS: readonly Op[] = ["in", "not_in"];
const MAX_LIST = 100;
const MAX_DEPTH = 8;
const MAX_CONDITIONS = 100;

type Ctx = z.core.$RefinementCtx;

function valueSchema(field: Field, op: Op): z.ZodType {
  const one = VALUES[field.startsWith("metadata.") ? "metadata" : (field as keyof typeof VALUES)];
  return LIST_OPS.includes(op) ? z.array(one, { error: `${op} takes a list of values` }).min(1).max(MAX_LIST) : one;
}

/** A leaf `{field, op, value}`: the op must suit the field and the value the op. */
function checkLeaf(c: { field?: string; op?: Op; value?: unknown }, ctx: Ctx): Condition | typeof z.NEVER {
  for (const key of ["field", "op", "value"] as const) {
    if (c[key] === undefined) {
      ctx.addIssue({ code: "invalid_type", expected: "nonoptional", input: undefined, path: [key], message: "Required" });
      return z.NEVER;
    }
  }
  const field = c.field!;
  const metadataKey = field.startsWith("metadata.") ? field.slice("metadata.".length) : null;
  if (!(FIELDS as readonly string[]).includes(field) && !(metadataKey && metadataKey.length <= 40)) {
    ctx.addIssue({ code: "custom", path: ["field"], message: `must be ${FIELDS.join(", ")} or metadata.<key> (a key of up to 40 characters)` });
    return z.NEVER;
  }
  const op = c.op!;
  const ops = field === "amount" ? OPS : EQUALITY_OPS;
  if (!ops.includes(op)) {
    ctx.addIssue({ code: "custom", path: ["op"], message: `${op} does not apply to ${field}; it takes ${ops.join(", ")}` });
    return z.NEVER;
  }
  const value = valueSchema(field as Field, op).safeParse(c.value);
  if (!value.success) {
    const issue = value.error.issues[0]!;
    ctx.addIssue({
      code: "custom",
      path: ["value", ...issue.path],
      message: issue.message,
      params: issue.code === "custom" ? issue.params : undefined,
    });
    return z.NEVER;
  }
  return { field: field as Field, op, value: value.data as Value };
}

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z
    .strictObject({
      all: z.array(ConditionSchema).min(1).max(MAX_LIST).optional().openapi({ description: "Matches when every condition matches." }),
      any: z.array(ConditionSchema).min(1).max(MAX_LIST).optional().openapi({ description: "Matches when one condition matches." }),
      not: ConditionSchema.optional().openapi({ description: "Matches when the condition does not." }),
      field: z.string().optional().openapi({ description: `${FIELDS.join(", ")} or metadata.<key>.` }),
      op: z.enum(OPS).optional().openapi({ description: "lt, lte, gt and gte apply to amount only; in and not_in take a list." }),
      value: z.unknown().optional().openapi({ description: "An amount in minor units, a code or a string; a list for in and not_in." }),
    })
    .transform((c, ctx): Condition => {
      const forms = [c.all && "all", c.any && "any", c.not && "not", (c.field !== undefined || c.op !== undefined || c.value !== undefined) && "field"].filter(Boolean);
      if (forms.length !== 1) {
        const message = forms.length === 0 ? "must hold all, any, not, or field, op and value" : `must hold one of ${forms.join(", ")}, not several`;
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      if (c.all) return { all: c.all };
      if (c.any) return { any: c.any };
      if (c.not) return { not: c.not };
      return checkLeaf(c, ctx);
    })
    .openapi("RoutingCondition", {
      description: "One of {all: [conditions]}, {any: [conditions]}, {not: condition} or {field, op, value}.",
    }),
);

/** How deep and how many conditions, counted before zod walks them (a deep body would exhaust the stack). */
function sizeProblem(value: unknown, depth = 1, seen = { count: 0 }): string | null {
  if (depth > MAX_DEPTH || ++seen.count > MAX_CONDITIONS) return `holds more than ${MAX_CONDITIONS} conditions or nests them more than ${MAX_DEPTH} deep`;
  if (value === null || typeof value !== "object") return null;
  const { all, any, not } = value as Record<string, unknown>;
  const children = [...(Array.isArray(all) ? all : []), ...(Array.isArray(any) ? any : []), ...(not === undefined ? [] : [not])];
  for (const child of children) {
    const problem = sizeProblem(child, depth + 1, seen);
    if (problem) return problem;
  }
  return null;
}

const WhenSchema = z.preprocess((value, ctx) => {
  const problem = sizeProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
  return value;
}, ConditionSchema);

const PrioritySchema = z
  .array(z.enum(CHANNELS))
  .min(1)
  .max(CHANNELS.length)
  .superRefine((channels, ctx) => {
    const twice = channels.findIndex((channel, i) => channels.indexOf(channel) !== i);
    if (twice >= 0) ctx.addIssue({ code: "custom", path: [twice], message: `${channels[twice]} is already listed` });
  })
  .openapi({ description: "Channels, best first.", example: [...CHANNELS] });

type Output = { priority: ChannelName[] } | { split: Array<{ weight: number; priority: ChannelName[] }> };

const OutputSchema = z
  .strictObject({
    priority: PrioritySchema.optional(),
    split: z
      .array(z.strictObject({ weight: z.number().int().min(1).max(100), priority: PrioritySchema }))
      .min(1)
      .max(10)
      .optional()
      .openapi({ description: "Legs whose weights (percent of payments) sum to 100; a payment's leg is fixed by its payment_no." }),
  })
  .transform((o, ctx): Output => {
    if ((o.priority === undefined) === (o.split === undefined)) {
      ctx.addIssue({ code: "custom", message: "must hold either priority or split" });
      return z.NEVER;
    }
    if (o.priority) return { priority: o.priority };
    const sum = o.split!.reduce((total, leg) => total + leg.weight, 0);
    if (sum !== 100) {
      ctx.addIssue({ code: "custom", path: ["split"], message: `weights must sum to 100, not ${sum}` });
      return z.NEVER;
    }
    return { split: o.split! };
  })
  .openapi("RoutingOutput", { description: "{priority: [channels]} or {split: [{weight, priority}]}." });

const RuleSchema = z.strictObject({
  name: z.string().min(1).max(100),
  when: WhenSchema,
  then: OutputSchema,
});

const DYNAMIC_DEFAULTS = { success_rate: false, exploration_percent: 5, elimination: false };

export const RoutingConfigSchema = z
  .strictObject({
    name: z.string().min(1).max(100).openapi({ example: "eu-split" }),
    rules: z.array(RuleSchema).max(50).default([]).openapi({ description: "Tried in order; the first whose `when` matches decides." }),
    default: OutputSchema.optional().openapi({ description: "For payments no rule matches. Without it they go to the merchant's default channel." }),
    dynamic: z
      .strictObject({
        success_rate: z.boolean().default(DYNAMIC_DEFAULTS.success_rate),
        exploration_percent: z.number().min(0).max(100).default(DYNAMIC_DEFAULTS.exploration_percent),
        elimination: z.boolean().default(DYNAMIC_DEFAULTS.elimination),
      })
      .default(DYNAMIC_DEFAULTS)
      .openapi({
        description: "success_rate: order the candidates by their success rate; exploration_percent: the share of payments sent to another channel first; elimination: set aside channels whose circuit is open.",
      }),
    max_attempts: z.number().int().min(1).max(5).default(2).openapi({
      description: "Attempts per payment across channels: after an outage or a retriable decline the next candidate is tried, up to this many.",
    }),
  })
  .superRefine((config, ctx) => {
    const names = config.rules.map((rule) => rule.name);
    const twice = names.findIndex((name, i) => names.indexOf(name) !== i);
    if (twice >= 0) ctx.addIssue({ code: "custom", path: ["rules", twice, "name"], message: `another rule is already named '${names[twice]}'` });
    if (config.rules.length === 0 && config.default === undefined) {
      ctx.addIssue({ code: "custom", path: ["default"], message: "a configuration needs a default or at least one rule" });
    }
  })
  .openapi("RoutingConfig", {
    description: "Rules tried in order (the first that matches decides), a default, dynamic ordering and the attempts a payment may make.",
  });

export type RoutingConfig = z.output<typeof RoutingConfigSchema>;
