import { sql } from 'kysely';
import type { HistoryRow } from '../../../core/admin/records.ts';
import { auditEntriesWithPeople, withAuditChanges } from '../../../core/audit/audit.ts';
import type { Db } from '../../../core/db/pool.ts';
import { withStaff } from '../../../core/db/tenancy.ts';
import { impersonationsOf } from '../impersonation/queries.ts';
import { describeDevice } from '../sessions/user-agent.ts';

// What the back-office shows about one person: the account's facts (never a secret: no password
// hash, TOTP secret, recovery code or token), their orgs, live sessions, impersonations, and the
// history of the account from the audit log. Read through the staff read path (withStaff).

export type AccountFacts = NonNullable<Awaited<ReturnType<typeof accountFacts>>>;
/** An entry of the account's history, as the back-office's history table shows it. */
export type HistoryEntry = HistoryRow;

export async function accountFacts(db: Db, staffUserId: string, userId: string) {
  return withStaff(db, staffUserId, async (tx) => {
    const user = await tx
      .selectFrom('users')
      .select([
        'id',
        'name',
        'email',
        'time_zone',
        'staff_role',
        'is_active',
        'deactivated_at',
        'created_at',
        'totp_enabled_at',
        'failed_logins',
        'lockouts',
        'locked_until',
        sql<boolean>`coalesce(locked_until > now(), false)`.as('locked'),
      ])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user) return null;
    const orgs = await tx
      .selectFrom('memberships as m')
      .innerJoin('organizations as o', 'o.id', 'm.org_id')
      .select(['o.id', 'o.slug', 'o.name', 'm.role', 'm.created_at', 'o.support_access'])
      .where('m.user_id', '=', userId)
      .orderBy('o.name')
      .execute();
    const sessions = await tx
      .selectFrom('sessions')
      .select(['public_id', 'ip', 'user_agent', 'created_at', 'last_seen_at', 'expires_at', 'impersonation_id'])
      .where('user_id', '=', userId)
      .where('expires_at', '>', sql<Date>`now()`)
      .orderBy('last_seen_at', 'desc')
      .limit(20)
      .execute();
    const history = await auditEntriesWithPeople(tx)
      .leftJoin('organizations as o', 'o.id', 'a.org_id')
      .select('o.slug as org_slug')
      .where((eb) =>
        eb.or([
          eb.and([eb('a.target_type', '=', 'user'), eb('a.target_id', '=', userId)]),
          eb('a.actor_user_id', '=', userId),
        ]),
      )
      .orderBy('a.id', 'desc')
      .limit(50)
      .execute();
    return {
      user,
      orgs,
      sessions: sessions.map((s) => ({ ...s, device: describeDevice(s.user_agent) })),
      impersonations: await impersonationsOf(tx, userId, 10),
      history: withAuditChanges(history),
    };
  });
}
