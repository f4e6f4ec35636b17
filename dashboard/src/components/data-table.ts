// Tables: DataTable draws rows under their headers; PagedTable is a list from useCursorList with
// its loading state, its error and the Previous / Next buttons.
import type { ComponentChildren } from "preact";
import { html } from "htm/preact";
import type { CursorList } from "../use-api";
import { ErrorBanner } from "./error-banner";

export interface Column<T> {
  header: string;
  cell: (row: T) => ComponentChildren;
  /** Right-aligned, in tabular figures: amounts and counts. */
  numeric?: boolean;
}

export interface DataTableProps<T> {
  /** Names the table for screen readers (and is shown above it). */
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  /** What an empty table says. */
  empty?: string;
}

export function DataTable<T>({ caption, columns, rows, rowKey, empty = "Nothing here yet." }: DataTableProps<T>) {
  const align = (column: Column<T>) => (column.numeric ? "num" : undefined);
  // the wrapper scrolls sideways on a phone; focusable and named, so a keyboard can scroll it too
  return html`<div class="table-scroll" role="region" aria-label=${caption} tabindex="0">
    <table>
      <caption>${caption}</caption>
      <thead>
        <tr>${columns.map((column) => html`<th scope="col" class=${align(column)}>${column.header}</th>`)}</tr>
      </thead>
      <tbody>
        ${rows.length === 0
          ? html`<tr><td class="empty" colspan=${columns.length}>${empty}</td></tr>`
          : rows.map(
              (row) => html`<tr key=${rowKey(row)}>
                ${columns.map((column) => html`<td class=${align(column)}>${column.cell(row)}</td>`)}
              </tr>`,
            )}
      </tbody>
    </table>
  </div>`;
}

export function Pager({ list }: { list: CursorList<unknown> }) {
  if (!list.hasPrevious && !list.hasMore) return null;
  return html`<nav class="pager" aria-label="Pages">
    <button type="button" onClick=${list.previous} disabled=${!list.hasPrevious || list.loading}>Previous</button>
    <button type="button" onClick=${list.next} disabled=${!list.hasMore || list.loading}>Next</button>
  </nav>`;
}

export function PagedTable<T>({ list, ...table }: Omit<DataTableProps<T>, "rows"> & { list: CursorList<T> }) {
  return html`
    <${ErrorBanner} error=${list.error} />
    ${list.rows === undefined
      ? list.loading && html`<p class="loading" role="status">Loading…</p>`
      : html`<${DataTable} ...${table} rows=${list.rows} />`}
    <${Pager} list=${list} />
  `;
}
