import { sql } from 'kysely';
import type { UserActor } from '../../../core/audit/audit.ts';
import type { Db } from '../../../core/db/pool.ts';
import { withUser } from '../../../core/db/tenancy.ts';
import { ValidationError } from '../../../core/http/errors.ts';
import type { Links } from '../../../core/mail/links.ts';
import { verifyPassword } from '../../../core/security/passwords.ts';
import { clearFailuresUnlessLocked, recordFailedAttempt } from './lockout.ts';
import * as q from '../queries.ts';
import { auditAccount } from '../audit.ts';

/**
 * The signed-in person proves their password again (the staff area asks after 12 hours, and
 * after 30 idle minutes in it): this session's `authenticated_at` becomes now. A wrong password
 * counts toward the account's lock like a failed sign-in; a locked account cannot renew.
 */
export async function reauthenticate(
  db: Db,
  actor: UserActor,
  links: Links,
  sessionIdHash: Buffer,
  password: string,
): Promise<void> {
  const user = await q.userById(db, actor.userId);
  if (!user) throw new ValidationError({ password: 'That password is not right.' });
  const ok = await verifyPassword(user.password_hash, password);
  // The outcome is returned, not thrown, so that a wrong password's count is committed.
  const outcome = await withUser(db, user.id, async (tx) => {
    if (!ok)
      return (await recordFailedAttempt(tx, links, user, actor, 'wrong password', user.email)) ? 'locked' : 'wrong';
    if (await clearFailuresUnlessLocked(tx, user.id)) return 'locked';
    await tx
      .updateTable('sessions')
      .set({ authenticated_at: sql<Date>`now()`, staff_seen_at: sql<Date>`now()` })
      .where('id_hash', '=', sessionIdHash)
      .where('user_id', '=', user.id)
      .execute();
    await auditAccount(tx, actor, user.id, 'reauthenticated');
    return 'renewed';
  });
  if (outcome === 'wrong') throw new ValidationError({ password: 'That password is not right.' });
  if (outcome === 'locked')
    throw new ValidationError({ password: 'Too many wrong passwords: the account is locked for a while.' });
}

/** The staff area's idle clock: this session used /staff just now (at most one write a minute). */
export async function markStaffSeen(db: Db, sessionIdHash: Buffer): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ staff_seen_at: sql<Date>`now()` })
    .where('id_hash', '=', sessionIdHash)
    .where((eb) =>
      eb.or([eb('staff_seen_at', 'is', null), eb('staff_seen_at', '<', sql<Date>`now() - interval '1 minute'`)]),
    )
    .execute();
}
