import { sql } from 'kysely';
import { z } from 'zod';
import type { JsonValue } from '../db/generated.ts';
import type { Tx } from '../db/pool.ts';
import type { AuditAction } from './actions.ts';

/** Who did something: the person (or null for the system), who they impersonated as, from where. */
export type Actor = {
  userId: string | null;
  impersonatorId?: string | null;
  requestId?: string | null;
  ip?: string | null;
};

/**
 * A signed-in person acting through a request: what every service of an org (and of an account)
 * takes. `impersonatorId` is the staff member acting as them, when the session is an impersonation.
 */
export type UserActor = { userId: string; impersonatorId: string | null; ip: string | null; requestId: string };

/** Someone not signed in, acting through a request (signing in, following an emailed link). */
export type AnonymousActor = { userId: null; impersonatorId: null; ip: string | null; requestId: string };

/** Where a request comes from: what its audit entries record besides the person. */
export type RequestOrigin = { requestId: string; ip: string | null };

/** The actor of a request once it knows the person (the session, or a sign-in that just proved who they are). */
export function userActor(origin: RequestOrigin, userId: string, impersonatorId: string | null = null): UserActor {
  return { userId, impersonatorId, ip: origin.ip, requestId: origin.requestId };
}

/** The actor of a request nobody is signed in to. */
export function anonymousActor(origin: RequestOrigin): AnonymousActor {
  return { userId: null, impersonatorId: null, ip: origin.ip, requestId: origin.requestId };
}

export const SYSTEM_ACTOR: Actor = { userId: null };

const SECRET_KEY = /pass(word)?|token|secret|otp|recovery|api[_-]?key|iban|account_number|session/i;

/** Secrets never reach the audit log: their values become "[masked]", wherever they sit in the change. */
export function maskSecrets(value: unknown, key = ''): unknown {
  if (SECRET_KEY.test(key) && value !== null && value !== undefined) return '[masked]';
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v));
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, maskSecrets(v, SECRET_KEY.test(key) ? key : k)]),
    );
  }
  return value;
}

export type AuditEntry = {
  /** null only for events that belong to no organization (sign-in). */
  orgId: string | null;
  actor: Actor;
  /** Declared by the module that writes it (core/audit/actions.ts): a loose string does not type-check. */
  action: AuditAction;
  target?: { type: string; id: string };
  changes?: AuditChanges;
};

/**
 * audit_log.changes as recordAudit writes it: a JSON object of what changed (fields, "from"/"to"
 * pairs). Its values are JSON already (jsonb); what they hold depends on the action.
 */
export const auditChanges = z.record(z.string(), z.unknown());
export type AuditChanges = z.infer<typeof auditChanges>;

/**
 * Reads a stored changes value, checked by auditChanges. The log is append-only, so a row that
 * holds another shape (written by hand in SQL, or by another version) can never be corrected; it
 * must neither break the activity page or the export nor be hidden. It reads as
 * `{ unreadable: <the stored value> }`, which every reader shows as it shows any other change.
 */
export function readAuditChanges(stored: JsonValue): AuditChanges {
  const r = auditChanges.safeParse(stored);
  return r.success ? r.data : { unreadable: stored };
}

/** Audit rows as read from the table, their changes checked (readAuditChanges). */
export function withAuditChanges<R extends { changes: JsonValue }>(rows: R[]): (R & { changes: AuditChanges })[] {
  return rows.map((r) => ({ ...r, changes: readAuditChanges(r.changes) }));
}

/**
 * The audit log with the people named: every column of the entry, who acted (`u`) and the staff
 * member who impersonated them (`imp`). Readers narrow it (an org, a person) and read `changes`
 * through withAuditChanges.
 */
export function auditEntriesWithPeople(tx: Tx) {
  return tx
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_user_id')
    .leftJoin('users as imp', 'imp.id', 'a.impersonator_user_id')
    .selectAll('a')
    .select([
      'u.name as actor_name',
      'u.email as actor_email',
      sql<boolean>`u.staff_role is not null`.as('actor_is_staff'),
      'imp.name as impersonator_name',
      'imp.email as impersonator_email',
    ]);
}

/**
 * Writes an audit entry in the caller's transaction, so the entry exists exactly when
 * the change does. Calling it outside a transaction is a programming error.
 */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  if (!tx.isTransaction) throw new Error('recordAudit must run inside the transaction of the change it records');
  await tx
    .insertInto('audit_log')
    .values({
      org_id: entry.orgId,
      actor_user_id: entry.actor.userId,
      impersonator_user_id: entry.actor.impersonatorId ?? null,
      action: entry.action,
      target_type: entry.target?.type ?? null,
      target_id: entry.target?.id ?? null,
      changes: JSON.stringify(maskSecrets(entry.changes ?? {})),
      request_id: entry.actor.requestId ?? null,
      ip: entry.actor.ip ?? null,
    })
    .execute();
}
