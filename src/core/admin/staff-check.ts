// The second wall of every staff action: the route's declared staff access let the request in,
// and the service checks the role again in its own transaction (a role taken away a second ago
// stops the action), then acts in the record's org, so row-level security and the audit log see
// that org.
import type { UserActor } from '../audit/audit.ts';
import type { Db, Tx } from '../db/pool.ts';
import { withOrg } from '../db/tenancy.ts';
import { ForbiddenError } from '../http/errors.ts';
import { staffMay, type StaffAccess } from '../http/staff-access.ts';

export async function requireStaffRole(tx: Tx | Db, actor: UserActor, access: StaffAccess): Promise<void> {
  const me = await tx
    .selectFrom('users')
    .select('staff_role')
    .where('id', '=', actor.userId)
    .where('is_active', '=', true)
    .executeTakeFirst();
  if (!staffMay(me?.staff_role, access)) throw new ForbiddenError('Your staff role does not allow this.');
}

/** Runs a staff action in the record's org, after checking the staff role again. */
export async function asStaffInOrg<T>(
  db: Db,
  actor: UserActor,
  orgId: string,
  access: StaffAccess,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return withOrg(db, orgId, actor.userId, async (tx) => {
    await requireStaffRole(tx, actor, access);
    return fn(tx);
  });
}
