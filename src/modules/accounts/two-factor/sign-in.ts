import type { Db } from '../../../core/db/pool.ts';
import { withUser } from '../../../core/db/tenancy.ts';
import { auditLockedAttempt, clearFailuresUnlessLocked, lockedUntil, recordFailedAttempt } from '../sign-in/lockout.ts';
import { anonymousActor, userActor } from '../../../core/audit/audit.ts';
import { beginSession, type SessionMeta, type SessionSettings } from '../sessions/sessions.ts';
import { checkCode, type CodeKind, type TwoFactorDeps } from './two-factor.ts';
import { twoFactorUser } from './queries.ts';

export type CodeLogInOutcome =
  | { kind: 'signed_in'; token: string; userId: string; via: CodeKind }
  | { kind: 'locked'; until: Date }
  | { kind: 'failed' }
  /** The person is gone, deactivated, or turned two-factor off meanwhile: sign in again. */
  | { kind: 'expired' };

/**
 * The second step of signing in, after the right password: a current code (or a recovery
 * code) starts the session. Wrong codes count toward the same lock as wrong passwords.
 * The person's row is locked for the transaction, so the lock check, the replay guard and
 * the session start cannot interleave with a concurrent attempt.
 */
export async function logInWithCode(
  db: Db,
  deps: TwoFactorDeps,
  meta: SessionMeta,
  userId: string,
  code: string,
  settings: SessionSettings,
  previousSession: Buffer | null,
): Promise<CodeLogInOutcome> {
  return withUser(db, userId, async (tx): Promise<CodeLogInOutcome> => {
    const user = await twoFactorUser(tx, userId, { lock: true });
    if (!user || !user.is_active || !user.totp_enabled_at) return { kind: 'expired' };
    const anonymous = anonymousActor(meta);
    const locked = await lockedUntil(tx, userId);
    if (locked) {
      await auditLockedAttempt(tx, anonymous, userId, user.email);
      return { kind: 'locked', until: locked };
    }
    const via = await checkCode(tx, deps, userActor(meta, userId), user, code, { allowRecovery: true });
    if (!via) {
      const until = await recordFailedAttempt(tx, deps.links, user, anonymous, 'wrong code', user.email);
      return until ? { kind: 'locked', until } : { kind: 'failed' };
    }
    await clearFailuresUnlessLocked(tx, userId);
    const token = await beginSession(tx, userId, meta, settings, previousSession, { mfa: via });
    return { kind: 'signed_in', token, userId, via };
  });
}
