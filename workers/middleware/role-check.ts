// After a session is authenticated: may this person's role make this request?
import type { Context } from "hono";
import { roleMay } from "../../shared/access/permissions";
import type { Person } from "../../shared/access/people-store";
import { forbidden } from "../../shared/errors";
import type { AppEnv } from "../app-env";

export function checkRole(c: Context<AppEnv>, person: Person): void {
  if (!roleMay(person.role, c.req.method, c.req.path)) {
    throw forbidden(
      "role_forbidden",
      `Your role (${person.role}) may not make this request: ${c.req.method} ${c.req.path}.`,
    );
  }
}
