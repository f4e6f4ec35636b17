// A risk rule's form, to add one (POST /api/v1/risk/rules) or change one (PATCH …/{id}): its name,
// action, predicate and whether it runs in shadow. The API parses the predicate; its error, with
// the line and column, shows under the predicate.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { ApiFailure, type Query, api } from "../../api";
import { ErrorBanner } from "../../components/error-banner";
import { CheckboxField, SelectField, TextAreaField, TextField } from "../../components/field";
import type { RiskAction } from "../../../../shared/risk/decision";
import { RULES_PATH, type RiskRule } from "./risk-types";

const ACTION_OPTIONS = [
  { value: "block", label: "Block: refuse the payment (402), no channel called" },
  { value: "review", label: "Review: let it proceed, open a review" },
  { value: "allow", label: "Allow: stop here, no block or review rule applies" },
];

export function RuleForm({ rule, onSaved, onCancel, path = RULES_PATH, query }: {
  /** The rule to change; none: a new one. */
  rule?: RiskRule;
  onSaved: (rule: RiskRule) => void;
  onCancel: () => void;
  /** Whose rules: the merchant's, unless said (the console's platform rules, their mode in `query`). */
  path?: string;
  query?: Query;
}) {
  const [name, setName] = useState(rule?.name ?? "");
  const [action, setAction] = useState<RiskAction>(rule?.action ?? "block");
  const [predicate, setPredicate] = useState(rule?.predicate ?? "");
  const [shadow, setShadow] = useState(rule?.shadow ?? false);
  const [predicateError, setPredicateError] = useState<ApiFailure | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setPredicateError(null);
    try {
      const body = { name, action, predicate, shadow };
      onSaved(
        rule
          ? await api<RiskRule>(`${path}/${rule.id}`, { method: "PATCH", body, query })
          : await api<RiskRule>(path, { method: "POST", body, query }),
      );
    } catch (failure) {
      if (failure instanceof ApiFailure && failure.param === "predicate") setPredicateError(failure);
      else setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return html`<form onSubmit=${save}>
    <${ErrorBanner} error=${error} />
    <${TextField} label="Name" required value=${name} onValue=${setName} />
    <${SelectField} label="Action" value=${action} onValue=${(value: string) => setAction(value as RiskAction)} options=${ACTION_OPTIONS} />
    <${TextAreaField}
      label="Predicate"
      code
      required
      rows=${3}
      value=${predicate}
      onValue=${setPredicate}
      error=${predicateError}
      hint="Radar's syntax, e.g. :amount_in_usd: > 1000 and :customer_country: not_in ('US', 'CA'). Metadata is ::key::, a list @name."
    />
    <${CheckboxField}
      label="Shadow"
      checked=${shadow}
      onChecked=${setShadow}
      hint="Evaluated and recorded on each payment, never enforced: watch what it would do first."
    />
    <div class="actions">
      <button type="submit" class="primary" disabled=${busy}>${busy ? "Saving…" : rule ? "Save rule" : "Add rule"}</button>
      <button type="button" onClick=${onCancel} disabled=${busy}>Cancel</button>
    </div>
  </form>`;
}
