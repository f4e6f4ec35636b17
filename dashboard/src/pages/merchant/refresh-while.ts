// Reading a page again while the channel settles what was asked (a refund, a payment in progress).
import { useEffect } from "preact/hooks";

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
