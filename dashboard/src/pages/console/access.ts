// Who may change what in the console: admins everything, support reads only (the API's rule,
// shared/access/permissions.ts, which refuses a support operator's changes with 403 anyway).
import { useSession } from "../../session";

/** Whether the signed-in operator's change buttons are shown. */
export const useMayChange = () => useSession().user.role === "admin";
