// A change made from a console page: one at a time (its buttons are disabled while it runs), its
// failure kept for an ErrorBanner, and what the page does with the answer.
import { useState } from "preact/hooks";

export function useChange() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  /** Runs `action`; true when it succeeded. */
  const run = async (action: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}
