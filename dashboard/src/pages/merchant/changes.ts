// A page's changes: one at a time (busy disables their buttons), the failure shown, what changed
// said; whether the session's role may make one at all, by the platform's own table
// (shared/access/permissions.ts), so a button the API would refuse is never offered; and reading
// again while the channel settles what was asked.
import { useEffect, useState } from "preact/hooks";
import { roleMay } from "../../../../shared/access/permissions";
import { useSession } from "../../session";

export function useChange() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState("");
  /** Runs `action`; its answer (what changed, in words) is shown once it succeeds. */
  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setDone("");
    try {
      setDone(await action());
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, done, run };
}

/** Whether the signed-in person's role may POST to `path`. */
export function useMayPost() {
  const { user } = useSession();
  return (path: string) => roleMay(user.role, "POST", path);
}

const REFRESH_MS = 2000;
/** A minute of refreshes at most: what has not settled by then is shown as it stands. */
const MAX_REFRESHES = 30;

/** Calls `reload` every 2 s while `active` (up to a minute each time it turns on). */
export function useRefreshWhile(active: boolean, reload: () => void) {
  useEffect(() => {
    if (!active) return;
    let left = MAX_REFRESHES;
    const timer = setInterval(() => {
      reload();
      if (--left === 0) clearInterval(timer);
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [active]);
}
