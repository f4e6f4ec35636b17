// The attributes a risk rule may read (issue #15), each a number or a string: the payment's own
// facts, its metadata (`::key::` in a rule), and velocity counters of its email, IP and customer.
// The parser checks a rule against these types; the docs list them from here.

export type AttributeType = "number" | "string";

export interface Attribute {
  name: string;
  type: AttributeType;
  description: string;
}

const PAYMENT_ATTRIBUTES: readonly Attribute[] = [
  { name: "amount", type: "number", description: "The amount in minor units of its currency (1000 = 10.00 USD)." },
  { name: "amount_in_usd", type: "number", description: "The amount in US dollars at the platform's rate for its currency (12.5 = $12.50)." },
  { name: "currency", type: "string", description: "ISO 4217 code, e.g. 'EUR'." },
  { name: "payment_method", type: "string", description: "The payment method the create names, e.g. 'pm_card_visa'." },
  { name: "channel", type: "string", description: "The channel the payment is created for (routing's choice, or the one the create named)." },
  { name: "customer_email", type: "string", description: "The customer's email." },
  { name: "customer_email_domain", type: "string", description: "The part of the customer's email after its last @." },
  { name: "customer_ip", type: "string", description: "The customer's IP address (`customer_ip` in the create)." },
  { name: "customer_country", type: "string", description: "ISO 3166-1 alpha-2 code (`customer_country` in the create)." },
  { name: "customer", type: "string", description: "The customer's identity: the email, else the name." },
];

const KINDS = ["total", "failed", "blocked"] as const;
const DIMENSIONS = ["email", "ip", "customer"] as const;
const WINDOWS = ["hourly", "daily", "weekly"] as const;

export interface VelocityCounter {
  kind: (typeof KINDS)[number];
  measure: "count" | "amount";
  dimension: (typeof DIMENSIONS)[number];
  window: (typeof WINDOWS)[number];
}

const KIND_TEXT = { total: "payments (blocked ones too)", failed: "payments that failed at their channel", blocked: "payments risk rules blocked" };
const DIMENSION_TEXT = { email: "customer email", ip: "customer IP", customer: "customer" };
const WINDOW_TEXT = { hourly: "hour", daily: "24 hours", weekly: "7 days" };

const VELOCITY_PATTERN = /^(total|failed|blocked)_(payments|amount_in_usd)_per_(email|ip|customer)_(hourly|daily|weekly)$/;

/** What a velocity attribute counts (`total_amount_in_usd_per_ip_daily`: amount, total, ip, daily); null for any other name. */
export function velocityCounterOf(name: string): VelocityCounter | null {
  const match = VELOCITY_PATTERN.exec(name);
  if (!match) return null;
  return {
    kind: match[1] as VelocityCounter["kind"],
    measure: match[2] === "payments" ? "count" : "amount",
    dimension: match[3] as VelocityCounter["dimension"],
    window: match[4] as VelocityCounter["window"],
  };
}

const VELOCITY_ATTRIBUTES: readonly Attribute[] = KINDS.flatMap((kind) =>
  (["payments", "amount_in_usd"] as const).flatMap((measure) =>
    DIMENSIONS.flatMap((dimension) =>
      WINDOWS.map((window) => ({
        name: `${kind}_${measure}_per_${dimension}_${window}`,
        type: "number" as const,
        description:
          measure === "payments"
            ? `How many ${KIND_TEXT[kind]} of the same ${DIMENSION_TEXT[dimension]} in the last ${WINDOW_TEXT[window]}, this one not counted.`
            : `The sum in US dollars of ${KIND_TEXT[kind]} of the same ${DIMENSION_TEXT[dimension]} in the last ${WINDOW_TEXT[window]}, this one not counted.`,
      })),
    ),
  ),
);

/** Every attribute but metadata, the payment's own first: 10 of them and 54 velocity counters. */
export const ATTRIBUTES: readonly Attribute[] = [...PAYMENT_ATTRIBUTES, ...VELOCITY_ATTRIBUTES];

const TYPES = new Map(ATTRIBUTES.map((a) => [a.name, a.type]));

/** A metadata key as a rule names it: `::order_source::`. */
export const METADATA_KEY = /^[A-Za-z0-9_.-]{1,40}$/;

/** The type of an attribute by name (metadata as `::key::`: a string); undefined for no such attribute. */
export function attributeTypeOf(name: string): AttributeType | undefined {
  if (name.startsWith("::") && name.endsWith("::") && METADATA_KEY.test(name.slice(2, -2))) return "string";
  return TYPES.get(name);
}
