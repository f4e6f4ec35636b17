// Copies a secret shown once (a new API key) to the clipboard, and says whether it did.
import { html } from "htm/preact";
import { useState } from "preact/hooks";

/** `label` names the button for screen readers when a panel has several ("Copy test key"). */
export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [outcome, setOutcome] = useState("");
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setOutcome("Copied to the clipboard"),
      () => setOutcome("Could not copy: select the key and copy it"),
    );
  return html`<button type="button" onClick=${copy}>${label}</button>
    <span role="status">${outcome}</span>`;
}
