// Team: the people who sign in to this merchant's dashboard and their roles
// (GET /api/v1/merchant/users), added with an initial password (POST) and removed after a confirm
// (DELETE /api/v1/merchant/users/{userId}; the API keeps at least one owner: 409 last_owner).
// Owners only.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { api, type List } from "../../api";
import type { DashboardUser } from "../../api-types";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { type Column, DataTable } from "../../components/data-table";
import { DoneBanner } from "../../components/done-banner";
import { ErrorBanner } from "../../components/error-banner";
import { SelectField, TextField } from "../../components/field";
import { Time } from "../../components/time";
import { useSession } from "../../session";
import { useApiGet } from "../../use-api";
import { useChange } from "../../use-change";

const PATH = "/api/v1/merchant/users";

const ROLES = [
  { value: "developer", label: "Developer" },
  { value: "analyst", label: "Analyst" },
  { value: "owner", label: "Owner" },
];
const ROLE_HINT =
  "Developer: reads everything, and changes API keys and webhooks and resends events. Analyst: reads only. Owner: everything, the team included.";
const roleWords = (role: string) => role.charAt(0).toUpperCase() + role.slice(1);

export function TeamPage() {
  const { user } = useSession();
  const users = useApiGet<List<DashboardUser>>(PATH);
  const change = useChange();
  const [removing, setRemoving] = useState<DashboardUser | null>(null);
  // the add form starts empty again after each person it adds
  const [added, setAdded] = useState(0);

  const add = (body: { email: string; role: string; password: string }) =>
    change.run(async () => {
      const person = await api<DashboardUser>(PATH, { method: "POST", body });
      setAdded((n) => n + 1);
      users.reload();
      return `Added ${person.email} as ${person.role}. They sign in with the password you set; give it to them apart from this email.`;
    });
  const remove = () => {
    const person = removing!;
    setRemoving(null);
    return change.run(async () => {
      await api(`${PATH}/${encodeURIComponent(person.id)}`, { method: "DELETE" });
      users.reload();
      return `Removed ${person.email}: they can no longer sign in.`;
    });
  };

  const columns: Column<DashboardUser>[] = [
    { header: "Email", cell: (u) => html`${u.email}${u.id === user.id && html` <span class="muted">(you)</span>`}` },
    { header: "Role", cell: (u) => roleWords(u.role) },
    { header: "Added", cell: (u) => html`<${Time} value=${u.created_at} />` },
    {
      header: "Actions",
      cell: (u) =>
        html`<button type="button" class="danger" disabled=${change.busy} onClick=${() => setRemoving(u)} aria-label=${`Remove ${u.email}`}>
          Remove
        </button>`,
    },
  ];

  return html`<section>
    <h1>Team</h1>
    <p>The people who sign in to ${user.merchant_name}'s dashboard. Their role decides what they may change, in both modes.</p>
    <${ErrorBanner} error=${users.error} />
    <${ErrorBanner} error=${change.error} />
    <${DoneBanner} text=${change.done} />
    ${users.data === undefined
      ? users.loading && html`<p class="loading" role="status">Loading…</p>`
      : html`<${DataTable} caption="People" columns=${columns} rows=${users.data.data} rowKey=${(u: DashboardUser) => u.id} />`}
    <div class="panel">
      <h2>Add a person</h2>
      <${AddForm} key=${added} busy=${change.busy} onAdd=${add} />
    </div>
    <${ConfirmDialog}
      open=${removing !== null}
      title="Remove this person?"
      confirmLabel="Remove"
      onConfirm=${remove}
      onCancel=${() => setRemoving(null)}
    >
      <p>${removing?.email} can no longer sign in, and any session of theirs ends at once.</p>
    </${ConfirmDialog}>
  </section>`;
}

function AddForm({ busy, onAdd }: { busy: boolean; onAdd: (body: { email: string; role: string; password: string }) => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState("developer");
  const [password, setPassword] = useState("");
  const submit = (event: Event) => {
    event.preventDefault();
    onAdd({ email, role, password });
  };
  return html`<form onSubmit=${submit}>
    <${TextField} label="Email" type="email" name="email" autocomplete="off" required value=${email} onValue=${setEmail} />
    <${SelectField} label="Role" name="role" value=${role} onValue=${setRole} options=${ROLES} hint=${ROLE_HINT} />
    <${TextField}
      label="Initial password"
      type="password"
      name="password"
      autocomplete="new-password"
      required
      value=${password}
      onValue=${setPassword}
      hint="12 to 256 characters. They sign in with it."
    />
    <button type="submit" class="primary" disabled=${busy}>Add person</button>
  </form>`;
}
