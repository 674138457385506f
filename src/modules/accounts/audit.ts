import { auditActions } from '../../core/audit/actions.ts';
import { recordAudit, type Actor, type AuditChanges } from '../../core/audit/audit.ts';
import type { Tx } from '../../core/db/pool.ts';

/** A person’s own account: signing in and out, security settings, deactivation. */
export const ACCOUNT_AUDIT = auditActions('account', [
  'created',
  'staff_created',
  'signed_up',
  'logged_in',
  'logged_out',
  'login_failed',
  'locked',
  'profile_updated',
  'password_changed',
  'password_reset_requested',
  'password_reset',
  'email_change_requested',
  'email_changed',
  'email_change_reported',
  'session_revoked',
  'other_sessions_revoked',
  'two_factor_setup_started',
  'two_factor_enabled',
  'two_factor_disabled',
  'recovery_code_used',
  'recovery_codes_regenerated',
  'deactivated',
  'reauthenticated',
  // Done by staff from the back-office, each with the staff member as actor.
  'viewed_by_staff',
  'unlocked',
  'all_sessions_revoked',
  'disabled',
  'enabled',
]);

/** A staff member signed in as a person: started with its reason, stopped (by them, by expiry, by signing out). */
export const IMPERSONATION_AUDIT = auditActions('impersonation', ['started', 'stopped']);

/** An entry about one person's account, in no organization's log: the account is its target. */
export function auditAccount(
  tx: Tx,
  actor: Actor,
  userId: string,
  action: keyof typeof ACCOUNT_AUDIT,
  changes?: AuditChanges,
): Promise<void> {
  return recordAudit(tx, {
    orgId: null,
    actor,
    action: ACCOUNT_AUDIT[action],
    target: { type: 'user', id: userId },
    changes,
  });
}
