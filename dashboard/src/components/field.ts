// Form fields, each with its <label> (and a hint tied to it by aria-describedby).
import { html } from "htm/preact";
import { useId } from "preact/hooks";

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
