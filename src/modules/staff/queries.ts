import { sql } from 'kysely';
import type { Db, Tx } from '../../core/db/pool.ts';
import type { StaffRole } from '../../core/http/staff-access.ts';

export type StaffMember = {
  id: string;
  email: string;
  name: string;
  staff_role: StaffRole;
  two_factor: boolean;
  is_active: boolean;
  last_sign_in: Date | null;
};

/** Everyone with a staff role, superusers first, then by name (the partial index users_staff_idx). */
export async function staffMembers(db: Db | Tx): Promise<StaffMember[]> {
  const rows = await db
    .selectFrom('users as u')
    .select([
      'u.id',
      'u.email',
      'u.name',
      'u.staff_role',
      'u.is_active',
      sql<boolean>`u.totp_enabled_at is not null`.as('two_factor'),
      (eb) =>
        eb
          .selectFrom('sessions as s')
          .select(sql<Date>`max(s.authenticated_at)`.as('at'))
          .whereRef('s.user_id', '=', 'u.id')
          .as('last_sign_in'),
    ])
    .where('u.staff_role', 'is not', null)
    .orderBy(sql`array_position(array['superuser','support','operator'], u.staff_role)`)
    .orderBy('u.name')
    .execute();
  return rows.map((r) => ({ ...r, staff_role: r.staff_role as StaffRole }));
}

/** The account with this email, locked for the change of its staff role. */
export function userForStaffChange(tx: Tx, email: string) {
  return tx
    .selectFrom('users')
    .select(['id', 'email', 'name', 'staff_role', 'is_active'])
    .where('email', '=', email)
    .forUpdate()
    .executeTakeFirst();
}

/** The superusers, locked: two changes that would each remove "the other" superuser run one after the other. */
export async function lockedSuperuserIds(tx: Tx): Promise<string[]> {
  const rows = await tx.selectFrom('users').select('id').where('staff_role', '=', 'superuser').forUpdate().execute();
  return rows.map((r) => r.id);
}

export async function setStaffRoleOf(tx: Tx, userId: string, role: StaffRole | null): Promise<void> {
  await tx
    .updateTable('users')
    .set({ staff_role: role, updated_at: sql<Date>`now()` })
    .where('id', '=', userId)
    .execute();
}
