// Data for a page: one GET (useApiGet) or a list a page at a time (useCursorList). Pages are
// remounted when the mode switches (layout.ts), so neither needs to watch the mode.
import { useCallback, useEffect, useState } from "preact/hooks";
import { type List, type Query, api, withQuery } from "./api";

export interface Loaded<T> {
  /** The last answer; kept while the next one loads, so a page does not flicker. */
  data: T | undefined;
  /** Why the last call failed (an ApiFailure, or a network error); undefined once one succeeds. */
  error: unknown;
  loading: boolean;
  reload(): void;
}

/** GETs `path` when the page mounts and again whenever the path or the query changes. */
export function useApiGet<T>(path: string, query?: Query): Loaded<T> {
  const url = withQuery(path, query);
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  useEffect(() => {
    // an answer that arrives after the page moved on (another filter, another page) is dropped
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    api<T>(url).then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState((previous) => ({ ...previous, error, loading: false })),
    );
    return () => {
      current = false;
    };
  }, [url, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export interface CursorList<T> {
  rows: T[] | undefined;
  error: unknown;
  loading: boolean;
  hasPrevious: boolean;
  hasMore: boolean;
  previous(): void;
  next(): void;
  reload(): void;
}

export interface CursorListOptions<T> {
  /** Filters, sent as query parameters; a change starts again at the first page. */
  query?: Query;
  limit?: number;
  /** The row's id as the list's cursors name it (`starting_after`); `row.id` unless said. */
  cursorOf?: (row: T) => string;
}

/**
 * A /api/v1 list one page at a time, newest first. Next asks for the page after the last row
 * shown (`starting_after`, offered while `has_more`); Previous goes back to the page before, by
 * the cursors walked so far.
 */
export function useCursorList<T>(
  path: string,
  { query = {}, limit = 20, cursorOf = (row) => (row as { id: string }).id }: CursorListOptions<T> = {},
): CursorList<T> {
  const first = withQuery(path, { ...query, limit });
  // the cursors of the pages after the first, for the list they were walked in
  const [walk, setWalk] = useState<{ list: string; cursors: string[] }>({ list: first, cursors: [] });
  const cursors = walk.list === first ? walk.cursors : [];
  const page = useApiGet<List<T>>(path, { ...query, limit, starting_after: cursors.at(-1) });
  const rows = page.data?.data;
  const last = rows?.at(-1);
  return {
    rows,
    error: page.error,
    loading: page.loading,
    hasPrevious: cursors.length > 0,
    hasMore: page.data?.has_more === true && last !== undefined,
    previous: () => setWalk({ list: first, cursors: cursors.slice(0, -1) }),
    next: () => last !== undefined && setWalk({ list: first, cursors: [...cursors, cursorOf(last)] }),
    reload: page.reload,
  };
}
