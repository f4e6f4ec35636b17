// The signed-in person, and the mode (test or live) the dashboard shows. Loaded once from
// GET /api/v1/session; pages read it with useSession().
import { createContext } from "preact";
import { useCallback, useContext, useEffect, useState } from "preact/hooks";
import { ApiFailure, SESSION_PATH, api, configureApi } from "./api";
import { SIGN_IN_PATH, homePath, signInAfter } from "./paths";

export type Kind = "merchant" | "operator";
export type Role = "owner" | "developer" | "analyst" | "admin" | "support";

export interface User {
  id: string;
  email: string;
  kind: Kind;
  role: Role;
  merchant_id: string | null;
  merchant_name: string | null;
}

/** The body of POST and GET /api/v1/session. */
export interface SessionJson {
  object: "session";
  user: User;
  csrf_token: string;
  expires_at: string;
}

export interface Session {
  user: User;
  /** false: test mode, every page shows test data. Live data only once switched. */
  livemode: boolean;
  setLivemode(livemode: boolean): void;
  signOut(): Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

/** The session of a signed-in page (every page but sign-in). */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession() outside a signed-in page");
  return session;
}

/**
 * The session as the app holds it: undefined while GET /api/v1/session is pending, null when
 * signed out, else the session. `start` takes the answer of a sign-in.
 */
export function useSessionState() {
  const [json, setJson] = useState<SessionJson | null | undefined>(undefined);
  const [livemode, setMode] = useState(false);

  const start = useCallback((next: SessionJson) => {
    // every session starts in test mode
    configureApi({ csrfToken: next.csrf_token, livemode: false });
    setMode(false);
    setJson(next);
  }, []);

  useEffect(() => {
    // the address first, before the router reads it: the sign-in form when signed out, and past
    // it when signed in already
    api<SessionJson>(SESSION_PATH).then(
      (found) => {
        if (location.pathname === SIGN_IN_PATH) history.replaceState(null, "", homePath(found.user));
        start(found);
      },
      (failure: unknown) => {
        if (location.pathname !== SIGN_IN_PATH) {
          history.replaceState(null, "", signInAfter(failure instanceof ApiFailure ? failure.code : undefined));
        }
        setJson(null);
      },
    );
  }, [start]);

  const setLivemode = useCallback((next: boolean) => {
    // before the re-render, so that the pages it remounts already ask for the new mode
    configureApi({ livemode: next });
    setMode(next);
  }, []);

  const signOut = useCallback(async () => {
    // a session that already ended (401) is signed out; any other failure is shown, not hidden
    await api(SESSION_PATH, { method: "DELETE" }).catch((failure: unknown) => {
      if (!(failure instanceof ApiFailure && failure.status === 401)) throw failure;
    });
    // a full load: nothing of the signed-out session stays in memory
    location.assign(SIGN_IN_PATH);
  }, []);

  const session: Session | null | undefined = json && { user: json.user, livemode, setLivemode, signOut };
  return { session, start };
}
