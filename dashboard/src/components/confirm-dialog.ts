// "Are you sure?" before anything that cannot be undone, in a native modal <dialog>: it traps
// focus, Escape cancels, and focus returns to the button that opened it.
import type { ComponentChildren } from "preact";
import { html } from "htm/preact";
import { useEffect, useId, useRef } from "preact/hooks";

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog({ open, title, children, confirmLabel, onConfirm, onCancel }: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const element = dialog.current;
    if (open && !element?.open) element?.showModal();
    if (!open && element?.open) element.close();
  }, [open]);
  const cancel = (event: Event) => {
    // the page decides when it closes (open), so Escape asks it like the Cancel button does
    event.preventDefault();
    onCancel();
  };
  return html`<dialog ref=${dialog} class="dialog" aria-labelledby=${titleId} onCancel=${cancel}>
    <h2 id=${titleId}>${title}</h2>
    <div class="dialog-body">${children}</div>
    <div class="actions">
      <button type="button" onClick=${onCancel}>Cancel</button>
      <button type="button" class="danger" onClick=${onConfirm}>${confirmLabel}</button>
    </div>
  </dialog>`;
}
