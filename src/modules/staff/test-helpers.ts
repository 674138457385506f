// People for the back-office's tests: a signed-up person, made staff (with two-factor on) by SQL.
import type { StaffRole } from '../../core/http/staff-access.ts';
import { signUp, type Agent, type TestApp } from '../../testing/harness.ts';
import { userIdOf } from '../../testing/factories.ts';

export type Person = { agent: Agent; id: string; email: string; password: string };

export async function person(t: TestApp): Promise<Person> {
  const p = await signUp(t.app);
  return { ...p, id: await userIdOf(t, p.email) };
}

export async function makeStaff(t: TestApp, p: { id: string }, role: StaffRole, twoFactor = true): Promise<void> {
  await t.owner
    .updateTable('users')
    .set({ staff_role: role, ...(twoFactor && { totp_secret: 'sealed', totp_enabled_at: new Date() }) })
    .where('id', '=', p.id)
    .execute();
}

export async function staffPerson(t: TestApp, role: StaffRole): Promise<Person> {
  const p = await person(t);
  await makeStaff(t, p, role);
  await p.agent.get('/staff');
  return p;
}
