import { z } from 'zod';
import { anonymousActor, recordAudit } from '../../../core/audit/audit.ts';
import type { Db } from '../../../core/db/pool.ts';
import { withUser } from '../../../core/db/tenancy.ts';
import type { Links } from '../../../core/mail/links.ts';
import { decoyHash, verifyPassword } from '../../../core/security/passwords.ts';
import { ACCOUNT_AUDIT } from '../audit.ts';
import * as q from '../queries.ts';
import { beginSession, type SessionMeta, type SessionSettings } from '../sessions/sessions.ts';
import { auditLockedAttempt, clearFailuresUnlessLocked, lockedUntil, recordFailedAttempt } from './lockout.ts';

export const logInSchema = z.object({
  email: z.string('Enter your email.').trim().toLowerCase().min(1, 'Enter your email.').max(254),
  password: z.string('Enter your password.').min(1, 'Enter your password.').max(200),
});

export type LogInOutcome =
  | { kind: 'signed_in'; token: string; userId: string }
  /** Right password, two-factor on: no session until the code (see two-factor/sign-in.ts). */
  | { kind: 'needs_code'; userId: string }
  | { kind: 'locked'; until: Date }
  | { kind: 'failed' };

/**
 * Checks the password (the same work whether or not the email exists) and starts a new
 * session; the previous session of this browser, if any, is ended (fixation defence).
 * A wrong email and a wrong password give one generic outcome; wrong passwords count
 * toward a temporary lock (lockout.ts), during which even the right one is refused.
 */
export async function logIn(
  db: Db,
  links: Links,
  meta: SessionMeta,
  input: z.infer<typeof logInSchema>,
  settings: SessionSettings,
  previousSession: Buffer | null,
): Promise<LogInOutcome> {
  const user = await q.userByEmail(db, input.email);
  const ok = await verifyPassword(user?.password_hash ?? (await decoyHash()), input.password);
  const anonymous = anonymousActor(meta);
  if (!user || !user.is_active) {
    await withUser(db, null, (tx) =>
      recordAudit(tx, {
        orgId: null,
        actor: anonymous,
        action: ACCOUNT_AUDIT.login_failed,
        target: user ? { type: 'user', id: user.id } : undefined,
        changes: { email: input.email, reason: !user ? 'unknown email' : !ok ? 'wrong password' : 'inactive account' },
      }),
    );
    return { kind: 'failed' };
  }
  if (!ok) {
    const until = await withUser(db, null, (tx) =>
      recordFailedAttempt(tx, links, user, anonymous, 'wrong password', input.email),
    );
    return until ? { kind: 'locked', until } : { kind: 'failed' };
  }
  return withUser(db, user.id, async (tx): Promise<LogInOutcome> => {
    const until = user.totp_enabled_at ? await lockedUntil(tx, user.id) : await clearFailuresUnlessLocked(tx, user.id);
    if (until) {
      await auditLockedAttempt(tx, anonymous, user.id, input.email);
      return { kind: 'locked', until };
    }
    if (user.totp_enabled_at) return { kind: 'needs_code', userId: user.id };
    return {
      kind: 'signed_in',
      token: await beginSession(tx, user.id, meta, settings, previousSession),
      userId: user.id,
    };
  });
}
