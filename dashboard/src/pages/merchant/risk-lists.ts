// Risk lists: the lists (GET /api/v1/risk/lists), the values of the one chosen a page at a time,
// values added (one or a bulk import, for owners) and removed after a confirm. The list shown is in
// the address (?list=name), so it survives a reload and can be linked to.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { type List, api } from "../../api";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { type Column, DataTable, PagedTable } from "../../components/data-table";
import { ErrorBanner } from "../../components/error-banner";
import { TextAreaField, TextField } from "../../components/field";
import { Time } from "../../components/time";
import { BASE } from "../../paths";
import { useSession } from "../../session";
import { useApiGet, useCursorList } from "../../use-api";
import { useChange } from "../../use-change";
import { RiskTabs } from "./risk-tabs";
import { LISTS_PATH, type RiskList, type RiskListItem } from "./risk-types";

const listHref = (name: string) => `${BASE}/risk/lists?list=${encodeURIComponent(name)}`;
const itemsPath = (name: string) => `${LISTS_PATH}/${encodeURIComponent(name)}/items`;

interface Import {
  object: "risk_list_import";
  added: number;
  already_present: number;
}

export function RiskListsPage() {
  const { user } = useSession();
  const owner = user.role === "owner";
  const { query, route } = useLocation();
  const lists = useApiGet<List<RiskList>>(LISTS_PATH);
  const shown = query.list ?? lists.data?.data[0]?.name;
  // bumped after an import, so the values shown include the new ones
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState("");

  const columns: Column<RiskList>[] = [
    {
      header: "List",
      cell: (list) => html`<a href=${listHref(list.name)} aria-current=${list.name === shown ? "true" : undefined}><code>@${list.name}</code></a>`,
    },
    { header: "Values", cell: (list) => list.item_count, numeric: true },
  ];

  return html`<section>
    <${RiskTabs} />
    <p>
      Rules test a value against a list with <code>in @name</code>, e.g. <code>:customer_email_domain: in @disposable_domains</code>.
      Values are kept trimmed and lower-cased; a list exists while it holds a value.
    </p>
    <${ErrorBanner} error=${lists.error} />
    ${lists.data &&
    html`<${DataTable} caption="Your lists" columns=${columns} rows=${lists.data.data} rowKey=${(list: RiskList) => list.name}
      empty="No lists yet." />`}
    ${owner &&
    html`<${AddValues}
      key=${shown}
      list=${shown ?? ""}
      onAdded=${(name: string, said: string) => {
        setNotice(said);
        lists.reload();
        setVersion((v) => v + 1);
        if (name !== shown) route(listHref(name));
      }}
    />`}
    <p role="status" class="outcome">${notice}</p>
    ${shown && html`<${ListValues} key=${`${shown}:${version}`} name=${shown} canRemove=${owner} onRemoved=${lists.reload} />`}
  </section>`;
}

/** Adds the lines as one import (`values`), which answers how many were new. */
function AddValues({ list, onAdded }: { list: string; onAdded: (name: string, said: string) => void }) {
  const [name, setName] = useState(list);
  const [text, setText] = useState("");
  const { busy, error, run } = useChange();

  const add = (event: Event) => {
    event.preventDefault();
    const values = text.split("\n").map((line) => line.trim()).filter(Boolean);
    run(async () => {
      const done = await api<Import>(itemsPath(name.trim()), { method: "POST", body: { values } });
      setText("");
      onAdded(name.trim(), `Added ${done.added} to @${name.trim()}${done.already_present ? `; ${done.already_present} already there` : ""}.`);
    });
  };

  return html`<form class="panel" onSubmit=${add}>
    <h2>Add values</h2>
    <${ErrorBanner} error=${error} />
    <${TextField} label="List name" required value=${name} onValue=${setName} hint="1 to 40 of a-z, 0-9 and _; a new name makes a new list." />
    <${TextAreaField} label="Values, one a line" required rows=${4} value=${text} onValue=${setText}
      hint="Up to 1000 at once (a bulk import); a value the list holds already is kept." />
    <div class="actions">
      <button type="submit" class="primary" disabled=${busy}>${busy ? "Adding…" : "Add values"}</button>
    </div>
  </form>`;
}

function ListValues({ name, canRemove, onRemoved }: { name: string; canRemove: boolean; onRemoved: () => void }) {
  const items = useCursorList<RiskListItem>(itemsPath(name), { cursorOf: (item) => item.value, limit: 50 });
  const [removing, setRemoving] = useState<RiskListItem | null>(null);
  const { busy, error, done, run } = useChange();

  const remove = () => {
    const item = removing!;
    setRemoving(null);
    return run(async () => {
      await api(`${itemsPath(name)}/${encodeURIComponent(item.value)}`, { method: "DELETE" });
      items.reload();
      onRemoved();
      return `Removed ${item.value} from @${name}.`;
    });
  };

  const columns: Column<RiskListItem>[] = [
    { header: "Value", cell: (item) => item.value },
    { header: "Added", cell: (item) => html`<${Time} value=${item.created_at} />` },
    ...(canRemove
      ? [
          {
            header: "Actions",
            cell: (item: RiskListItem) => html`<button type="button" class="danger" disabled=${busy} onClick=${() => setRemoving(item)}
              aria-label=${`Remove ${item.value}`}>Remove</button>`,
          },
        ]
      : []),
  ];

  return html`<h2>Values of <code>@${name}</code></h2>
    <p role="status" class="outcome">${done}</p>
    <${ErrorBanner} error=${error} />
    <${PagedTable} list=${items} caption=${`@${name}, newest first`} columns=${columns} rowKey=${(item: RiskListItem) => item.value}
      empty="This list holds nothing." />
    <${ConfirmDialog}
      open=${removing !== null}
      title="Remove this value?"
      confirmLabel="Remove value"
      onConfirm=${remove}
      onCancel=${() => setRemoving(null)}
    >
      <p>Rules reading <code>@${name}</code> stop matching <strong>${removing?.value}</strong> (within 5 seconds everywhere).</p>
    </${ConfirmDialog}>`;
}
