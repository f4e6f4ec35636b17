// The facts of a payment as a create states them, for the dry runs (routing's and risk's
// evaluate): the fields to fill in, the body they make, and the form that sends it. The API checks
// every value and names the field it refuses; the page only turns text into the JSON types the
// create takes.
import type { ComponentChildren } from "preact";
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { ErrorBanner } from "../../components/error-banner";
import { TextAreaField, TextField } from "../../components/field";
import { formatMoney } from "../../components/money";
import { useChange } from "../../use-change";

interface PaymentFacts {
  amount: string;
  currency: string;
  payment_method: string;
  customer_country: string;
  customer_email: string;
  customer_ip: string;
  order_no: string;
  /** One `key=value` a line. */
  metadata: string;
}

export type FactName = keyof PaymentFacts;

const NEW_FACTS: PaymentFacts = {
  amount: "5000",
  currency: "USD",
  payment_method: "",
  customer_country: "",
  customer_email: "",
  customer_ip: "",
  order_no: "",
  metadata: "",
};

const LABELS: Record<Exclude<FactName, "amount" | "metadata">, { label: string; hint?: string }> = {
  currency: { label: "Currency", hint: "ISO 4217, e.g. EUR." },
  payment_method: { label: "Payment method (optional)", hint: "As a create names it, e.g. pm_sandbox_success." },
  customer_country: { label: "Customer country (optional)", hint: "ISO 3166-1 alpha-2, e.g. DE." },
  customer_email: { label: "Customer email (optional)" },
  customer_ip: { label: "Customer IP (optional)" },
  order_no: { label: "Order number (optional)", hint: "Fixes a volume split's leg, as a create with it would." },
};

/** Metadata from its lines; a line that is not `key=value` is an Error naming the line. */
function metadataOf(text: string): Record<string, string> | Error | undefined {
  const lines = text.split("\n").map((line) => line.trim());
  if (lines.every((line) => line === "")) return undefined;
  const metadata: Record<string, string> = {};
  for (const [i, line] of lines.entries()) {
    if (line === "") continue;
    const at = line.indexOf("=");
    if (at <= 0) return new Error(`Line ${i + 1} of the metadata is not key=value.`);
    metadata[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return metadata;
}

/**
 * The body of an evaluate: the facts named, blanks left out (a create without them). A whole number
 * is sent as a number; anything else as typed, for the API to refuse by name. An Error: metadata
 * that is not `key=value` lines, said before any call.
 */
function factsBody(facts: PaymentFacts, names: readonly FactName[]): Record<string, unknown> | Error {
  const body: Record<string, unknown> = {};
  for (const name of names) {
    const value = facts[name].trim();
    if (value === "") continue;
    if (name === "metadata") {
      const metadata = metadataOf(value);
      if (metadata instanceof Error) return metadata;
      body.metadata = metadata;
    } else {
      body[name] = name === "amount" && /^\d+$/.test(value) ? Number(value) : value;
    }
  }
  return body;
}

function PaymentFactsFields({ facts, onFacts, names, metadataError }: {
  facts: PaymentFacts;
  onFacts: (facts: PaymentFacts) => void;
  /** Which facts this dry run takes (each route takes its own). */
  names: readonly FactName[];
  metadataError?: Error | null;
}) {
  const set = (name: FactName) => (value: string) => onFacts({ ...facts, [name]: value });
  const amount = /^\d+$/.test(facts.amount.trim()) ? Number(facts.amount) : null;
  return html`<div class="controls-grid">
    ${names.map((name) => {
      if (name === "metadata") {
        return html`<${TextAreaField} key=${name} label="Metadata (optional)" rows=${2} code value=${facts.metadata}
          onValue=${set(name)} hint="One key=value a line, e.g. risk_test=review." error=${metadataError} />`;
      }
      if (name === "amount") {
        const reads = amount !== null && facts.currency.trim() ? `: ${formatMoney(amount, facts.currency.trim().toUpperCase())}` : "";
        return html`<${TextField} key=${name} label="Amount (minor units)" inputMode="numeric" required value=${facts.amount}
          onValue=${set(name)} hint=${`Whole minor units of the currency${reads}.`} />`;
      }
      const { label, hint } = LABELS[name];
      return html`<${TextField} key=${name} label=${label} hint=${hint} value=${facts[name]} onValue=${set(name)} />`;
    })}
  </div>`;
}

/** A dry run: the facts named, sent by `evaluate` once the form is; its answer shown by `show`. */
export function DryRun<T>({ names, evaluate, show }: {
  names: readonly FactName[];
  evaluate: (body: Record<string, unknown>) => Promise<T>;
  show: (answer: T) => ComponentChildren;
}) {
  const [facts, setFacts] = useState(NEW_FACTS);
  const [answer, setAnswer] = useState<T | null>(null);
  const [metadataError, setMetadataError] = useState<Error | null>(null);
  const { busy, error, run } = useChange();

  const submit = (event: Event) => {
    event.preventDefault();
    const body = factsBody(facts, names);
    setMetadataError(body instanceof Error ? body : null);
    if (body instanceof Error) return;
    setAnswer(null);
    run(async () => setAnswer(await evaluate(body)));
  };

  return html`<form onSubmit=${submit}>
      <${PaymentFactsFields} facts=${facts} onFacts=${setFacts} names=${names} metadataError=${metadataError} />
      <div class="actions">
        <button type="submit" class="primary" disabled=${busy}>${busy ? "Evaluating…" : "Evaluate"}</button>
      </div>
    </form>
    <${ErrorBanner} error=${error} />
    ${answer && show(answer)}`;
}
