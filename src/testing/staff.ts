// Test support for the back-office: people signed up through the form, given a staff role (and the
// two-factor authentication the back-office needs) by SQL, as `ledgerworks staff add` would.
import { STAFF_ROLES, type StaffRole } from '../core/http/staff-access.ts';
import { userIdOf } from './factories.ts';
import { signUp, type Agent, type TestApp } from './harness.ts';

export type StaffPerson = { agent: Agent; id: string; email: string; password: string };
/** Anyone signed in through the form, staff or not. */
export type Person = StaffPerson;

/** A person signed up through the form and signed in, with their id. */
export async function person(t: TestApp): Promise<Person> {
  const p = await signUp(t.app);
  return { ...p, id: await userIdOf(t, p.email) };
}

/** Gives `p` a staff role (null: none), with two-factor on unless told otherwise. */
export async function makeStaff(
  t: TestApp,
  p: { id: string },
  role: StaffRole | null,
  twoFactor = true,
): Promise<void> {
  await t.owner
    .updateTable('users')
    .set({ staff_role: role, ...(twoFactor && { totp_secret: 'sealed', totp_enabled_at: new Date() }) })
    .where('id', '=', p.id)
    .execute();
}

/** A person given `role`, who has opened the back-office once (or their org list, when it would refuse them). */
export async function staffPerson(t: TestApp, role: StaffRole | null, twoFactor = true): Promise<StaffPerson> {
  const p = await person(t);
  await makeStaff(t, p, role, twoFactor);
  await p.agent.get(role && twoFactor ? '/staff' : '/orgs');
  return p;
}

/** One signed-in staff member per role. */
export async function staffTeam(t: TestApp): Promise<Map<StaffRole, StaffPerson>> {
  const team = new Map<StaffRole, StaffPerson>();
  for (const role of STAFF_ROLES) team.set(role, await staffPerson(t, role));
  return team;
}
