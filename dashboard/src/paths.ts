// Where the dashboard lives: every page is under BASE, the Worker answers them all with the shell.
import type { User } from "./session";

export const BASE = "/dashboard";
export const SIGN_IN_PATH = `${BASE}/sign-in`;

/** Where a person lands after signing in: merchants' overview, or the operators' console. */
export const homePath = (user: User) => (user.kind === "operator" ? `${BASE}/console` : BASE);
