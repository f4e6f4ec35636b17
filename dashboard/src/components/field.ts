// Form fields, each with its <label> (and a hint tied to it by aria-describedby).
import { html } from "htm/preact";
import { useId } from "preact/hooks";
import { ApiFailure } from "../api";
import { ErrorBanner } from "./error-banner";

interface FieldProps {
  label: string;
  value: string;
  onValue: (value: string) => void;
  /** A line under the field: what to enter, in what form. */
  hint?: string;
  required?: boolean;
}

function hinted(id: string, hint: string | undefined) {
  const hintId = `${id}-hint`;
  return { describedBy: hint ? hintId : undefined, hintNode: hint && html`<p class="hint" id=${hintId}>${hint}</p>` };
}

export function TextField({
  label,
  value,
  onValue,
  hint,
  type = "text",
  ...input
}: FieldProps & { type?: string; name?: string; autocomplete?: string; placeholder?: string; inputMode?: string }) {
  const id = useId();
  const { describedBy, hintNode } = hinted(id, hint);
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <input
      id=${id}
      type=${type}
      value=${value}
      onInput=${(event: Event) => onValue((event.currentTarget as HTMLInputElement).value)}
      aria-describedby=${describedBy}
      ...${input}
    />
    ${hintNode}
  </div>`;
}

export function SelectField({
  label,
  value,
  onValue,
  hint,
  options,
  ...select
}: FieldProps & { options: Array<{ value: string; label: string }>; name?: string }) {
  const id = useId();
  const { describedBy, hintNode } = hinted(id, hint);
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <select
      id=${id}
      value=${value}
      onChange=${(event: Event) => onValue((event.currentTarget as HTMLSelectElement).value)}
      aria-describedby=${describedBy}
      ...${select}
    >
      ${options.map((option) => html`<option value=${option.value}>${option.label}</option>`)}
    </select>
    ${hintNode}
  </div>`;
}

/**
 * A multi-line field (a routing configuration's JSON, a risk rule's predicate, list values), with
 * the error that names it right under it (tied to it, so a screen reader reads the error with the
 * field), and a hint.
 */
export function TextAreaField({
  label,
  value,
  onValue,
  hint,
  error,
  rows = 4,
  code = false,
  required,
}: FieldProps & {
  /** Why the value was refused: the API's answer naming this field, or the page's own check. */
  error?: ApiFailure | Error | null;
  rows?: number;
  /** Monospace, no spell-checking: JSON and rules. */
  code?: boolean;
}) {
  const id = useId();
  const invalid = Boolean(error);
  const describedBy = [hint && `${id}-hint`, invalid && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <textarea
      id=${id}
      class=${code ? "code" : undefined}
      rows=${rows}
      value=${value}
      spellcheck=${!code}
      required=${required}
      aria-invalid=${invalid || undefined}
      aria-describedby=${describedBy}
      onInput=${(event: Event) => onValue((event.currentTarget as HTMLTextAreaElement).value)}
    ></textarea>
    ${invalid &&
    html`<div id=${`${id}-error`}>
      ${error instanceof ApiFailure
        ? html`<${ErrorBanner} error=${error} />`
        : html`<div class="banner banner-error" role="alert"><p>${error!.message}</p></div>`}
    </div>`}
    ${hint && html`<p class="hint" id=${`${id}-hint`}>${hint}</p>`}
  </div>`;
}

/** A checkbox with its label beside it (the form fields' look suits text, not a tick box). */
export function CheckboxField({ label, checked, onChecked, hint, disabled }: {
  label: string;
  checked: boolean;
  onChecked: (checked: boolean) => void;
  hint?: string;
  disabled?: boolean;
}) {
  const id = useId();
  return html`<div class="check-field">
    <input
      id=${id}
      type="checkbox"
      checked=${checked}
      disabled=${disabled}
      aria-describedby=${hint ? `${id}-hint` : undefined}
      onChange=${(event: Event) => onChecked((event.currentTarget as HTMLInputElement).checked)}
    />
    <label for=${id}>${label}</label>
    ${hint && html`<p class="hint" id=${`${id}-hint`}>${hint}</p>`}
  </div>`;
}
