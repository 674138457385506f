// The staff team: who may use the back-office, with which role. Used by `ledgerworks staff`
// and the back-office's own pages; every change is audited.
import { recordAudit, type Actor } from '../../core/audit/audit.ts';
import type { Db } from '../../core/db/pool.ts';
import { withUser } from '../../core/db/tenancy.ts';
import { ValidationError } from '../../core/http/errors.ts';
import { STAFF_ROLE_LABELS, type StaffRole } from '../../core/http/staff-access.ts';
import * as q from './queries.ts';
import { STAFF_AUDIT } from './audit.ts';

export type { StaffMember } from './queries.ts';
export { staffScope } from './gate.tsx';

export function listStaff(db: Db) {
  return q.staffMembers(db);
}

export type StaffChange =
  | { kind: 'granted'; role: StaffRole }
  | { kind: 'changed'; from: StaffRole; role: StaffRole }
  | { kind: 'removed'; from: StaffRole }
  | { kind: 'unchanged' };

/**
 * Gives the account with this email a staff role, changes it, or (null) takes it away. The
 * last superuser cannot stop being one: someone must be able to manage staff.
 */
export async function setStaffRole(
  db: Db,
  actor: Actor,
  email: string,
  role: StaffRole | null,
  /** 'new': refuse someone who is staff already; 'existing': refuse someone who is not. */
  expect?: 'new' | 'existing',
): Promise<StaffChange> {
  const address = email.trim().toLowerCase();
  return withUser(db, actor.userId, async (tx) => {
    const superusers = await q.lockedSuperuserIds(tx);
    const user = await q.userForStaffChange(tx, address);
    if (!user) throw new ValidationError({ email: `There is no account with the email ${address}.` });
    const from = user.staff_role;
    if (expect === 'new' && from)
      throw new ValidationError({ email: `${address} is staff already (${STAFF_ROLE_LABELS[from]}): use staff set.` });
    if (expect === 'existing' && !from) throw new ValidationError({ email: `${address} is not staff: use staff add.` });
    if (from === role) return { kind: 'unchanged' } as const;
    if (role && !user.is_active)
      throw new ValidationError({ email: `The account ${address} is deactivated: it cannot be staff.` });
    if (from === 'superuser' && superusers.length === 1 && superusers[0] === user.id)
      throw new ValidationError({
        role: `${address} is the last superuser: make someone else superuser first, so that someone can manage staff.`,
      });
    await q.setStaffRoleOf(tx, user.id, role);
    const change: StaffChange = !from
      ? { kind: 'granted', role: role as StaffRole }
      : role
        ? { kind: 'changed', from, role }
        : { kind: 'removed', from };
    await recordAudit(tx, {
      orgId: null,
      actor,
      action: STAFF_AUDIT[`role_${change.kind}`],
      target: { type: 'user', id: user.id },
      changes: { email: user.email, ...(from && { from }), ...(role && { to: role }) },
    });
    return change;
  });
}

/** One line for the command line and the flash message. */
export function describeStaffChange(email: string, change: StaffChange): string {
  switch (change.kind) {
    case 'granted':
      return `${email} is now staff: ${STAFF_ROLE_LABELS[change.role]}`;
    case 'changed':
      return `${email}: ${STAFF_ROLE_LABELS[change.from]} → ${STAFF_ROLE_LABELS[change.role]}`;
    case 'removed':
      return `${email} is no longer staff (was ${STAFF_ROLE_LABELS[change.from]})`;
    case 'unchanged':
      return `${email}: nothing to change`;
  }
}
