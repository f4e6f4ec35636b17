// A page's changes: one at a time (busy disables their buttons), the failure kept for an
// ErrorBanner, what changed said; and whether the session's role may make one at all, by the
// platform's own table (shared/access/permissions.ts), so a button the API would refuse is never
// offered.
import { useState } from "preact/hooks";
import { roleMay } from "../../shared/access/permissions";
import { useSession } from "./session";

export function useChange() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState("");
  /** Runs `action`; its answer (what changed, in words), if any, is `done` once it succeeds. */
  const run = async (action: () => Promise<string | void>) => {
    setBusy(true);
    setError(null);
    setDone("");
    try {
      setDone((await action()) ?? "");
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
