// Editing routing is storing a new version (POST /api/v1/routing/configs) from the configuration as
// JSON. The API checks it and its 400 names the JSON path at fault, shown under the editor; text
// that is not JSON at all is said before any call.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { ApiFailure, api } from "../../api";
import { ErrorBanner } from "../../components/error-banner";
import { TextAreaField } from "../../components/field";
import { CONFIGS_PATH, type ConfigVersion, type RoutingConfig } from "./routing-types";

export function ConfigEditor({ initial, onSaved, onCancel }: {
  initial: RoutingConfig;
  onSaved: (version: ConfigVersion) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState(() => JSON.stringify(initial, null, 2));
  const [invalid, setInvalid] = useState<ApiFailure | Error | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const save = async (event: Event) => {
    event.preventDefault();
    setInvalid(null);
    setError(null);
    let config: unknown;
    try {
      config = JSON.parse(text);
    } catch (syntax) {
      setInvalid(new Error(`This is not valid JSON: ${(syntax as Error).message}`));
      return;
    }
    setBusy(true);
    try {
      onSaved(await api<ConfigVersion>(CONFIGS_PATH, { method: "POST", body: config }));
    } catch (failure) {
      // a refusal of the configuration names its path: said at the editor; anything else above it
      if (failure instanceof ApiFailure && failure.status === 400) setInvalid(failure);
      else setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return html`<form onSubmit=${save}>
    <${ErrorBanner} error=${error} />
    <${TextAreaField}
      label="Configuration (JSON)"
      code
      rows=${22}
      value=${text}
      onValue=${setText}
      error=${invalid}
      hint="name, rules (each name, when, then), default, dynamic and max_attempts, as POST /api/v1/routing/configs takes them. Saving stores a new version; payments keep the active version until you activate the new one."
    />
    <div class="actions">
      <button type="submit" class="primary" disabled=${busy}>${busy ? "Saving…" : "Save as a new version"}</button>
      <button type="button" onClick=${onCancel} disabled=${busy}>Cancel</button>
    </div>
  </form>`;
}
