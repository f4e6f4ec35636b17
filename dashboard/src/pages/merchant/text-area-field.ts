// A multi-line field for the controls' code and lists (a routing configuration's JSON, a risk rule's
// predicate, list values), with its label, the error that names it right under it (tied to it, so a
// screen reader reads the error with the field), and a hint.
import { html } from "htm/preact";
import { useId } from "preact/hooks";
import { ApiFailure } from "../../api";
import { ErrorBanner } from "../../components/error-banner";

interface TextAreaFieldProps {
  label: string;
  value: string;
  onValue: (value: string) => void;
  hint?: string;
  /** Why the value was refused: the API's answer naming this field, or the page's own check. */
  error?: ApiFailure | Error | null;
  rows?: number;
  /** Monospace, no spell-checking: JSON and rules. */
  code?: boolean;
  required?: boolean;
}

export function TextAreaField({ label, value, onValue, hint, error, rows = 4, code = false, required }: TextAreaFieldProps) {
  const id = useId();
  const invalid = Boolean(error);
  const describedBy = [hint && `${id}-hint`, invalid && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <textarea
      id=${id}
      class=${code ? "controls-textarea controls-code" : "controls-textarea"}
      rows=${rows}
      value=${value}
      spellcheck=${!code}
      required=${required}
      aria-invalid=${invalid || undefined}
      aria-describedby=${describedBy}
      onInput=${(event: Event) => onValue((event.currentTarget as HTMLTextAreaElement).value)}
    ></textarea>
    ${invalid &&
    html`<div class="controls-field-error" id=${`${id}-error`}>
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
  return html`<div class="controls-check">
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
