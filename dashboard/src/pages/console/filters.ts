// A list's filters: typed fields apply when the form is sent (one call per search, not per key),
// a choice from a list applies at once. The applied filters are the list's query.
import type { ComponentChildren } from "preact";
import { html } from "htm/preact";
import { useState } from "preact/hooks";

export function useFilters<T extends Record<string, string>>(initial: T) {
  const [draft, setDraft] = useState(initial);
  const [applied, setApplied] = useState(initial);
  return {
    applied,
    /** Props for a TextField: kept as typed until applied. */
    typed: (name: keyof T) => ({ value: draft[name], onValue: (value: string) => setDraft((d) => ({ ...d, [name]: value })) }),
    /** Props for a SelectField: applied at once, with whatever was typed beside it. */
    chosen: (name: keyof T) => ({
      value: draft[name],
      onValue: (value: string) => {
        const next = { ...draft, [name]: value };
        setDraft(next);
        setApplied(next);
      },
    }),
    apply: () => setApplied(draft),
  };
}

export function FilterForm({ label, onApply, children, submitLabel = "Apply filters" }: {
  /** Names the search landmark ("Filter payments"). */
  label: string;
  onApply: () => void;
  children: ComponentChildren;
  submitLabel?: string;
}) {
  const submit = (event: Event) => {
    event.preventDefault();
    onApply();
  };
  return html`<form class="console-filters" role="search" aria-label=${label} onSubmit=${submit}>
    ${children}
    <div class="console-filters-submit"><button type="submit">${submitLabel}</button></div>
  </form>`;
}
