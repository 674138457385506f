// Test support for exports and reports: an org with one person per role, CSV parsed back.
import { parse } from 'csv-parse/sync';
import type { Role } from '../../core/db/schema.ts';
import { signUp, type TestApp } from '../../testing/harness.ts';

export type Person = Awaited<ReturnType<typeof signUp>> & { id: string };

export async function idOf(t: TestApp, email: string): Promise<string> {
  return (await t.owner.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

/** An org with its owner and one person per other role. */
export async function team(t: TestApp, org = 'Export Org') {
  const owner = await signUp(t.app, { org });
  const orgId = (
    await t.owner.selectFrom('organizations').select('id').where('slug', '=', owner.slug).executeTakeFirstOrThrow()
  ).id;
  const people = {} as Record<Exclude<Role, 'owner'>, Person>;
  for (const role of ['admin', 'approver', 'accountant', 'member', 'viewer'] as const) {
    const p = await signUp(t.app);
    const id = await idOf(t, p.email);
    await t.owner.insertInto('memberships').values({ org_id: orgId, user_id: id, role }).execute();
    people[role] = { ...p, id };
  }
  return { owner: { ...owner, id: await idOf(t, owner.email) }, orgId, slug: owner.slug, people };
}

/** The rows of a CSV body as objects keyed by its header. */
export function csvRows(body: string): Record<string, string>[] {
  return parse<Record<string, string>>(body, { columns: true });
}
