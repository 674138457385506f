import { sql } from 'kysely';
import { withAuditChanges } from '../../../core/audit/audit.ts';
import type { Tx } from '../../../core/db/pool.ts';

// A person's devices (sessions) and the security events of their account.

export function deleteSessionByPublicId(tx: Tx, userId: string, publicId: string) {
  return tx
    .deleteFrom('sessions')
    .where('public_id', '=', publicId)
    .where('user_id', '=', userId)
    .returning(['id_hash', 'ip', 'user_agent'])
    .executeTakeFirst();
}

export function liveSessionsOf(tx: Tx, userId: string, idleMinutes: number) {
  return tx
    .selectFrom('sessions')
    .select(['id_hash', 'public_id', 'ip', 'user_agent', 'created_at', 'last_seen_at'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', sql<Date>`now()`)
    .where('last_seen_at', '>', sql<Date>`now() - make_interval(mins => ${idleMinutes})`)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

/** The audit entries about this person's own account, newest first (row-level security allows exactly these). */
export async function securityEvents(tx: Tx, userId: string, limit: number) {
  const rows = await tx
    .selectFrom('audit_log')
    .select(['id', 'action', 'changes', 'ip', 'created_at'])
    .where('org_id', 'is', null)
    .where('target_type', '=', 'user')
    .where('target_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return withAuditChanges(rows);
}
