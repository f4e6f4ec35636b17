// Dashboard users and their sessions in D1.
import { and, asc, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { dashboardSessions, dashboardUsers, merchants, type OPERATOR_ROLES, type USER_ROLES } from "../db/schema";
import { conflict } from "../errors";
import { newId } from "../ids";
import type { Merchant } from "../merchants/merchant-store";
import { hashPassword } from "./passwords";
import { SESSION_MAX_AGE_MS } from "./session-token";

export type UserRole = (typeof USER_ROLES)[number];
export type OperatorRole = (typeof OPERATOR_ROLES)[number];
export type Person = typeof dashboardUsers.$inferSelect;

export type NewPerson =
  | { kind: "merchant"; merchantId: string; email: string; role: UserRole; password: string }
  | { kind: "operator"; email: string; role: OperatorRole; password: string };

/** Emails are compared as typed, less case and surrounding blanks. */
export const normalEmail = (email: string) => email.trim().toLowerCase();

/** A new user or operator; an email already signed up is 409 `email_taken`. */
export async function createPerson(d1: D1Database, input: NewPerson): Promise<Person> {
  const now = Date.now();
  const row = {
    id: newId("usr"),
    kind: input.kind,
    merchantId: input.kind === "merchant" ? input.merchantId : null,
    email: normalEmail(input.email),
    role: input.role,
    passwordHash: await hashPassword(input.password),
    createdAt: now,
    updatedAt: now,
  };
  const inserted = await drizzle(d1).insert(dashboardUsers).values(row).onConflictDoNothing().returning().get();
  if (!inserted) throw conflict("email_taken", `A dashboard user with email '${row.email}' already exists.`, "email");
  return inserted;
}

export const findPersonByEmail = (d1: D1Database, email: string) =>
  drizzle(d1).select().from(dashboardUsers).where(eq(dashboardUsers.email, normalEmail(email))).get();

export const listMerchantUsers = (d1: D1Database, merchantId: string) =>
  drizzle(d1)
    .select()
    .from(dashboardUsers)
    .where(eq(dashboardUsers.merchantId, merchantId))
    .orderBy(asc(dashboardUsers.createdAt), asc(dashboardUsers.id))
    .all();

/** Removes a merchant's user with their sessions (so those end); false if no such user of that merchant. */
export async function deleteMerchantUser(d1: D1Database, merchantId: string, userId: string): Promise<boolean> {
  const db = drizzle(d1);
  const owned = and(eq(dashboardUsers.id, userId), eq(dashboardUsers.merchantId, merchantId));
  const [, deleted] = await db.batch([
    db
      .delete(dashboardSessions)
      .where(sql`${dashboardSessions.userId} IN (SELECT ${dashboardUsers.id} FROM ${dashboardUsers} WHERE ${owned})`),
    db
      .delete(dashboardUsers)
      .where(owned)
      .returning({ id: dashboardUsers.id }),
  ]);
  return deleted.length > 0;
}

export async function openSession(d1: D1Database, userId: string, now: number) {
  const session = { id: newId("ses"), userId, createdAt: now, expiresAt: now + SESSION_MAX_AGE_MS, revokedAt: null };
  await drizzle(d1).insert(dashboardSessions).values(session).run();
  return session;
}

export async function revokeSession(d1: D1Database, sessionId: string, now: number): Promise<void> {
  await drizzle(d1).update(dashboardSessions).set({ revokedAt: now }).where(eq(dashboardSessions.id, sessionId)).run();
}

export interface LiveSession {
  session: typeof dashboardSessions.$inferSelect;
  person: Person;
  /** The user's merchant (null for operators), read with the session so a suspension applies at once. */
  merchant: Merchant | null;
}

/** The session with its user and merchant as they are now (one query), or undefined. */
export async function loadSession(d1: D1Database, sessionId: string): Promise<LiveSession | undefined> {
  const row = await drizzle(d1)
    .select({ session: dashboardSessions, person: dashboardUsers, merchant: merchants })
    .from(dashboardSessions)
    .innerJoin(dashboardUsers, eq(dashboardUsers.id, dashboardSessions.userId))
    .leftJoin(merchants, eq(merchants.id, dashboardUsers.merchantId))
    .where(eq(dashboardSessions.id, sessionId))
    .get();
  return row;
}
