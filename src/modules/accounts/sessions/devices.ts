import type { UserActor } from '../../../core/audit/audit.ts';
import { auditAccount } from '../audit.ts';
import type { Db } from '../../../core/db/pool.ts';
import { withUser } from '../../../core/db/tenancy.ts';
import { NotFoundError } from '../../../core/http/errors.ts';
import { isUuid } from '../../../core/schemas.ts';
import * as aq from '../account-locks.ts';
import * as sq from './queries.ts';
import { describeDevice } from './user-agent.ts';

// The person's own sessions (the devices signed in) and the security events of their account.

export type SessionRow = {
  publicId: string;
  device: string;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
};

export async function sessionsOf(
  db: Db,
  userId: string,
  currentSession: Buffer | null,
  idleMinutes: number,
): Promise<SessionRow[]> {
  const rows = await withUser(db, userId, (tx) => sq.liveSessionsOf(tx, userId, idleMinutes));
  return rows.map((s) => ({
    publicId: s.public_id,
    device: describeDevice(s.user_agent),
    ip: s.ip,
    createdAt: s.created_at,
    lastSeenAt: s.last_seen_at,
    current: currentSession !== null && s.id_hash.equals(currentSession),
  }));
}

/** Signs out one session of the user's own; another person's session id answers 404. Returns whether it was this one. */
export async function revokeSession(
  db: Db,
  actor: UserActor,
  currentSession: Buffer | null,
  publicId: string,
): Promise<{ wasCurrent: boolean }> {
  if (!isUuid(publicId)) throw new NotFoundError('We could not find that session.');
  return withUser(db, actor.userId, async (tx) => {
    const gone = await sq.deleteSessionByPublicId(tx, actor.userId, publicId);
    if (!gone) throw new NotFoundError('We could not find that session. It may have ended already.');
    await auditAccount(tx, actor, actor.userId, 'session_revoked', {
      public_id: publicId,
      ip: gone.ip,
      device: describeDevice(gone.user_agent),
    });
    return { wasCurrent: currentSession !== null && gone.id_hash.equals(currentSession) };
  });
}

export type SecurityEvent = { id: string; action: string; detail: string | null; ip: string | null; createdAt: Date };

/** The last sign-ins and security changes of the person's own account. */
export async function securityActivity(db: Db, userId: string, limit = 15): Promise<SecurityEvent[]> {
  const rows = await withUser(db, userId, (tx) => sq.securityEvents(tx, userId, limit));
  return rows.map((r) => {
    const { changes } = r;
    const detail =
      typeof changes.reason === 'string'
        ? changes.reason
        : typeof changes.mfa === 'string'
          ? `with ${changes.mfa.replace('_', ' ')}`
          : typeof changes.device === 'string'
            ? changes.device
            : null;
    return { id: r.id, action: r.action, detail, ip: r.ip, createdAt: r.created_at };
  });
}

export async function revokeOtherSessions(db: Db, actor: UserActor, currentSession: Buffer): Promise<number> {
  return withUser(db, actor.userId, async (tx) => {
    const ended = await aq.deleteSessionsOf(tx, actor.userId, { except: currentSession });
    await auditAccount(tx, actor, actor.userId, 'other_sessions_revoked', { devices_signed_out: ended });
    return ended;
  });
}
