// Risk rules: the built-in ones on or off, yours by action in the order a payment meets them (allow,
// block, review; within each by position), added, changed, moved, put in shadow or removed by
// owners, and a dry run of a payment against them.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { type List, api } from "../../api";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { type Column, DataTable } from "../../components/data-table";
import { ErrorBanner } from "../../components/error-banner";
import { useSession } from "../../session";
import { useApiGet } from "../../use-api";
import { useChange } from "../../use-change";
import type { RiskAction } from "../../../../shared/risk/decision";
import { RiskDryRun } from "./risk-evaluate";
import { RuleForm } from "./risk-rule-form";
import { BuiltinRules } from "./risk-settings";
import { RiskTabs } from "./risk-tabs";
import { ACTIONS, RULES_PATH, type RiskRule } from "./risk-types";

const GROUPS: Record<RiskAction, string> = {
  allow: "Allow rules, tried first",
  block: "Block rules, tried next",
  review: "Review rules, tried last",
};

/**
 * The positions that put `group` (one action's rules, in their order) into `order`: the group's
 * own positions, made strictly increasing so the order cannot tie, given out in the new order.
 * Only the rules whose position changes are returned: a swap of two neighbours is two changes.
 */
function repositioned(group: RiskRule[], order: RiskRule[]): Array<{ rule: RiskRule; position: number }> {
  const slots = group.map((rule) => rule.position);
  for (let i = 1; i < slots.length; i++) slots[i] = Math.max(slots[i]!, slots[i - 1]! + 1);
  return order.map((rule, i) => ({ rule, position: slots[i]! })).filter(({ rule, position }) => rule.position !== position);
}

type Editing = { rule?: RiskRule } | null;

export function RiskRulesPage() {
  const { user, livemode } = useSession();
  const owner = user.role === "owner";
  const rules = useApiGet<List<RiskRule>>(RULES_PATH);
  const [editing, setEditing] = useState<Editing>(null);
  const [removing, setRemoving] = useState<RiskRule | null>(null);
  const { busy, error, done, run } = useChange();

  /** Runs a change: one at a time, its failure shown, what it did said, the rules reloaded. */
  const change = (action: () => Promise<string>) => run(action).then(rules.reload);

  const patch = (rule: RiskRule, body: Partial<RiskRule>) =>
    api<RiskRule>(`${RULES_PATH}/${rule.id}`, { method: "PATCH", body });
  const move = (group: RiskRule[], index: number, by: -1 | 1) =>
    change(async () => {
      const order = [...group];
      [order[index], order[index + by]] = [order[index + by]!, order[index]!];
      for (const { rule, position } of repositioned(group, order)) await patch(rule, { position });
      return `Moved “${group[index]!.name}” ${by < 0 ? "up" : "down"}.`;
    });
  const toggleShadow = (rule: RiskRule) =>
    change(async () => {
      await patch(rule, { shadow: !rule.shadow });
      return rule.shadow ? `“${rule.name}” is enforced now.` : `“${rule.name}” runs in shadow now: recorded, not enforced.`;
    });
  const remove = () => {
    const rule = removing!;
    setRemoving(null);
    return change(async () => {
      await api(`${RULES_PATH}/${rule.id}`, { method: "DELETE" });
      return `Removed “${rule.name}”.`;
    });
  };
  const saved = (rule: RiskRule) => {
    const said = editing?.rule ? `Saved “${rule.name}”.` : `Added “${rule.name}”: it applies to the next payments.`;
    setEditing(null);
    return change(async () => said);
  };

  const columnsFor = (group: RiskRule[]): Column<RiskRule>[] => [
    { header: "Order", cell: (rule) => group.indexOf(rule) + 1, numeric: true },
    { header: "Name", cell: (rule) => rule.name },
    { header: "Predicate", cell: (rule) => html`<code class="controls-predicate">${rule.predicate}</code>` },
    {
      header: "Enforced",
      cell: (rule) => (rule.shadow ? html`<span class="badge badge-muted">Shadow</span>` : html`<span class="badge badge-ok">Enforced</span>`),
    },
    ...(owner
      ? [
          {
            header: "Actions",
            cell: (rule: RiskRule) => {
              const i = group.indexOf(rule);
              return html`<div class="actions controls-row-actions">
                <button type="button" disabled=${busy || i === 0} onClick=${() => move(group, i, -1)} aria-label=${`Move “${rule.name}” up`}>↑</button>
                <button type="button" disabled=${busy || i === group.length - 1} onClick=${() => move(group, i, 1)}
                  aria-label=${`Move “${rule.name}” down`}>↓</button>
                <button type="button" disabled=${busy} onClick=${() => setEditing({ rule })} aria-label=${`Edit “${rule.name}”`}>Edit</button>
                <button type="button" disabled=${busy} onClick=${() => toggleShadow(rule)}
                  aria-label=${rule.shadow ? `Enforce “${rule.name}”` : `Shadow “${rule.name}”`}>${rule.shadow ? "Enforce" : "Shadow"}</button>
                <button type="button" class="danger" disabled=${busy} onClick=${() => setRemoving(rule)}
                  aria-label=${`Remove “${rule.name}”`}>Remove</button>
              </div>`;
            },
          },
        ]
      : []),
  ];

  const all = rules.data?.data;
  return html`<section>
    <${RiskTabs} />
    <p>
      Every ${livemode ? "live" : "test"} payment is assessed before any channel is called. Rules are tried by action, allow first,
      then block, then review, and within each in order; the first that matches decides, and none matching allows.
    </p>
    <${BuiltinRules} canChange=${owner} />
    <header class="page-header">
      <h2>Your rules</h2>
      ${owner && !editing && html`<button type="button" class="primary" onClick=${() => setEditing({})} disabled=${busy}>Add rule</button>`}
    </header>
    <p role="status" class="outcome">${done}</p>
    <${ErrorBanner} error=${rules.error ?? error} />
    ${editing &&
    html`<div class="panel">
      <h3>${editing.rule ? `Edit “${editing.rule.name}”` : "New rule"}</h3>
      <${RuleForm} key=${editing.rule?.id ?? "new"} rule=${editing.rule} onSaved=${saved} onCancel=${() => setEditing(null)} />
    </div>`}
    ${all === undefined
      ? rules.loading && html`<p class="loading" role="status">Loading…</p>`
      : ACTIONS.map((action) => {
          const group = all.filter((rule) => rule.action === action);
          return html`<${DataTable}
            key=${action}
            caption=${GROUPS[action]}
            columns=${columnsFor(group)}
            rows=${group}
            rowKey=${(rule: RiskRule) => rule.id}
            empty=${`No ${action} rules.`}
          />`;
        })}
    <h2>Try a payment</h2>
    <p>What the rules in force would decide for a payment with these facts. Nothing is stored and no counter moves.</p>
    <${RiskDryRun} />
    <${ConfirmDialog}
      open=${removing !== null}
      title="Remove this rule?"
      confirmLabel="Remove rule"
      onConfirm=${remove}
      onCancel=${() => setRemoving(null)}
    >
      <p>“${removing?.name}” stops applying to payments at once. This cannot be undone.</p>
    </${ConfirmDialog}>
  </section>`;
}
