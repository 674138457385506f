// The staff role behind a back-office action, read afresh in the action's transaction: a role
// taken away a second ago no longer acts, whatever the route let through.
import type { UserActor } from '../audit/audit.ts';
import type { Tx } from '../db/pool.ts';
import { ForbiddenError } from '../http/errors.ts';
import { staffMay, type StaffAccess } from '../http/staff-access.ts';

export async function requireStaffRole(tx: Tx, actor: UserActor, access: StaffAccess): Promise<void> {
  const me = await tx
    .selectFrom('users')
    .select('staff_role')
    .where('id', '=', actor.userId)
    .where('is_active', '=', true)
    .executeTakeFirst();
  if (!staffMay(me?.staff_role, access)) throw new ForbiddenError('Your staff role does not allow this.');
}
