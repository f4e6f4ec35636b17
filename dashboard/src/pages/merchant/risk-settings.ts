// The built-in risk rules, on or off for the mode shown (GET/PATCH /api/v1/risk/settings).
import { html } from "htm/preact";
import { api } from "../../api";
import { ErrorBanner } from "../../components/error-banner";
import { CheckboxField } from "../../components/field";
import { Time } from "../../components/time";
import { useApiGet } from "../../use-api";
import { useChange } from "../../use-change";
import type { RiskSettings } from "./risk-types";

const PATH = "/api/v1/risk/settings";

export function BuiltinRules({ canChange }: { canChange: boolean }) {
  const settings = useApiGet<RiskSettings>(PATH);
  const { busy, error, run } = useChange();

  const turn = (on: boolean) =>
    run(async () => {
      await api<RiskSettings>(PATH, { method: "PATCH", body: { builtin_rules: on } });
      settings.reload();
    });

  const on = settings.data?.builtin_rules;
  return html`<div class="panel">
    <h2>Built-in rules</h2>
    <p>
      Tried after the platform's rules and before yours, within each action. <code>card_testing_guard</code> blocks an
      email or IP with more than 5 failed payments in the last hour. In test mode, metadata <code>risk_test</code> set to
      block, review or allow takes that action (<code>risk_test_block</code>, <code>risk_test_review</code>, <code>risk_test_allow</code>).
    </p>
    <${ErrorBanner} error=${settings.error ?? error} />
    ${on !== undefined &&
    html`<${CheckboxField} label="Run the built-in rules" checked=${on} onChecked=${turn} disabled=${!canChange || busy} />
      <p role="status" class="muted">
        ${busy ? "Saving…" : html`Built-in rules are <strong>${on ? "on" : "off"}</strong>${settings.data!.updated_at
          ? html`, since <${Time} value=${settings.data!.updated_at} />`
          : " (the default)"}.`}
      </p>`}
  </div>`;
}
