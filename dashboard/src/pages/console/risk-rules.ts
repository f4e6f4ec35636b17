// The platform's risk rules in the mode shown: every merchant's payments meet them before their own.
// Admins add, change and remove them with the merchants' rule form (pages/merchant/risk-rule-form.ts),
// pointed at the admin routes; a predicate that does not parse is refused with where it fails.
import { html } from "htm/preact";
import { useId, useState } from "preact/hooks";
import { type List, api } from "../../api";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { type Column, DataTable } from "../../components/data-table";
import { ErrorBanner } from "../../components/error-banner";
import { StatusBadge } from "../../components/status-badge";
import { Time } from "../../components/time";
import { useSession } from "../../session";
import { useApiGet } from "../../use-api";
import { useChange, useMayPost } from "../../use-change";
import { RuleForm } from "../merchant/risk-rule-form";
import type { RiskRule } from "../merchant/risk-types";

const PATH = "/api/v1/admin/risk/rules";

export function RiskRulesPage() {
  const { livemode } = useSession();
  const mode = livemode ? "live" : "test";
  // those who may add a rule (POST) change and delete them too
  const mayChange = useMayPost()(PATH);
  const rules = useApiGet<List<RiskRule>>(PATH, { livemode });
  // null: no form; "new", or the rule being changed
  const [editing, setEditing] = useState<"new" | RiskRule | null>(null);
  const [removing, setRemoving] = useState<RiskRule | null>(null);
  const [outcome, setOutcome] = useState("");
  const removal = useChange();
  const formHeading = useId();

  const done = (message: string) => {
    setEditing(null);
    setOutcome(message);
    rules.reload();
  };
  const edit = (target: "new" | RiskRule) => {
    setOutcome("");
    setEditing(target);
  };
  const remove = () => {
    const rule = removing!;
    setRemoving(null);
    setOutcome("");
    removal.run(async () => {
      await api(`${PATH}/${encodeURIComponent(rule.id)}`, { method: "DELETE", query: { livemode } });
      done(`Removed the rule “${rule.name}”.`);
    });
  };

  const columns: Column<RiskRule>[] = [
    { header: "Action", cell: (r) => html`<${StatusBadge} status=${r.action} />` },
    { header: "Position", numeric: true, cell: (r) => r.position },
    { header: "Name", cell: (r) => r.name },
    { header: "Predicate", cell: (r) => html`<code class="console-wrap">${r.predicate}</code>` },
    { header: "Enforced", cell: (r) => (r.shadow ? "No: shadow, recorded only" : "Yes") },
    { header: "Changed", cell: (r) => html`<${Time} value=${r.updated_at} />` },
    ...(mayChange
      ? [
          {
            header: "Actions",
            cell: (r: RiskRule) => html`<div class="actions">
              <button type="button" disabled=${removal.busy} onClick=${() => edit(r)} aria-label=${`Edit ${r.name}`}>Edit</button>
              <button type="button" class="danger" disabled=${removal.busy} onClick=${() => setRemoving(r)} aria-label=${`Delete ${r.name}`}>
                Delete
              </button>
            </div>`,
          },
        ]
      : []),
  ];

  return html`<section class="console-page">
    <header class="page-header">
      <h1>Risk rules</h1>
      ${mayChange && editing === null && html`<button type="button" class="primary" onClick=${() => edit("new")}>New ${mode} rule</button>`}
    </header>
    <p>
      The platform's rules in ${mode} mode. Every merchant's payments meet them before the merchant's own: allow rules
      first, then block, then review, each by position.
    </p>
    ${editing !== null &&
    html`<div class="panel" role="region" aria-labelledby=${formHeading}>
      <h2 id=${formHeading}>${editing === "new" ? "New rule" : `Edit “${editing.name}”`}</h2>
      <${RuleForm}
        key=${editing === "new" ? "new" : editing.id}
        rule=${editing === "new" ? undefined : editing}
        path=${PATH}
        query=${{ livemode }}
        onSaved=${(saved: RiskRule) => done(`Saved the rule “${saved.name}” (${saved.action}, position ${saved.position}).`)}
        onCancel=${() => setEditing(null)}
      />
    </div>`}
    <${ErrorBanner} error=${removal.error} />
    <p role="status" class="outcome">${outcome}</p>
    <${ErrorBanner} error=${rules.error} />
    ${rules.data === undefined
      ? rules.loading && html`<p class="loading" role="status">Loading…</p>`
      : html`<${DataTable}
          caption=${`Platform rules, ${mode} mode, in the order they are tried`}
          columns=${columns}
          rows=${rules.data.data}
          rowKey=${(r: RiskRule) => r.id}
          empty="No platform rules: merchants' payments meet only their own."
        />`}
    <${ConfirmDialog}
      open=${removing !== null}
      title="Delete this rule?"
      confirmLabel="Delete rule"
      onConfirm=${remove}
      onCancel=${() => setRemoving(null)}
    >
      <p>“${removing?.name}” stops applying to every merchant's next payments in ${mode} mode. This cannot be undone.</p>
    </${ConfirmDialog}>
  </section>`;
}
