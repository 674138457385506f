// Test support for the back-office: people with a staff role and two-factor on, signed in.
import { STAFF_ROLES, type StaffRole } from '../core/http/staff-access.ts';
import { userIdOf } from './factories.ts';
import { signUp, type Agent, type TestApp } from './harness.ts';

export type StaffPerson = { agent: Agent; id: string; email: string; password: string };

/** A person signed up through the form, given `role` (and two-factor, which the back-office needs). */
export async function staffPerson(t: TestApp, role: StaffRole | null, twoFactor = true): Promise<StaffPerson> {
  const p = await signUp(t.app);
  const id = await userIdOf(t, p.email);
  await t.owner
    .updateTable('users')
    .set({ staff_role: role, ...(twoFactor && { totp_secret: 'sealed', totp_enabled_at: new Date() }) })
    .where('id', '=', id)
    .execute();
  await p.agent.get('/orgs');
  return { ...p, id };
}

/** One signed-in staff member per role. */
export async function staffTeam(t: TestApp): Promise<Map<StaffRole, StaffPerson>> {
  const team = new Map<StaffRole, StaffPerson>();
  for (const role of STAFF_ROLES) team.set(role, await staffPerson(t, role));
  return team;
}
