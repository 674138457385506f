// Test support for the workflow tests: an org with one person per role, and posting as them.
import type { Role } from '../../core/db/schema.ts';
import type { OrgContext } from '../../core/http/types.ts';
import { signUp, type Agent, type TestApp } from '../../testing/harness.ts';
import { makeVendor } from './test-fixtures.ts';

export type Person = { agent: Agent; email: string; id: string; name: string; role: Role };

const ROLES_IN_TEAM = {
  admin: 'admin',
  approver: 'approver',
  approver2: 'approver',
  accountant: 'accountant',
  member: 'member',
  member2: 'member',
  viewer: 'viewer',
} as const;
type TeamKey = 'owner' | keyof typeof ROLES_IN_TEAM;

/** An org with its owner, two approvers, two members and one person in each other role, and a vendor. */
export async function team(t: TestApp) {
  const ownerName = `Olive Owner ${Math.random().toString(36).slice(2, 6)}`;
  const owner = await signUp(t.app, { org: 'Workflow Org', name: ownerName });
  const orgId = (
    await t.owner.selectFrom('organizations').select('id').where('slug', '=', owner.slug).executeTakeFirstOrThrow()
  ).id;
  const idOf = async (email: string) =>
    (await t.owner.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
  const found: Partial<Record<TeamKey, Person>> = {
    owner: { ...owner, id: await idOf(owner.email), name: ownerName, role: 'owner' },
  };
  for (const [key, role] of Object.entries(ROLES_IN_TEAM) as [keyof typeof ROLES_IN_TEAM, Role][]) {
    const name = `${key[0]!.toUpperCase()}${key.slice(1)} Person`;
    const p = await signUp(t.app, { name });
    const id = await idOf(p.email);
    await t.owner.insertInto('memberships').values({ org_id: orgId, user_id: id, role }).execute();
    found[key] = { ...p, id, name, role };
  }
  const people = found as Record<TeamKey, Person>;
  // Every agent loads a page of the org once, so that it holds a CSRF token for its posts.
  for (const p of Object.values(people)) await p.agent.get(`/o/${owner.slug}`);
  const vendor = await makeVendor(t.owner, orgId, { name: 'Acme Supplies' });
  const orgOf = (p: Person): OrgContext => ({
    id: orgId,
    slug: owner.slug,
    name: 'Workflow Org',
    role: p.role,
    require2fa: false,
  });
  return { orgId, slug: owner.slug, vendor, people, orgOf };
}

export async function setLimit(t: TestApp, orgId: string, userId: string, limitMinor: number | null) {
  await t.owner
    .updateTable('memberships')
    .set({ approval_limit_minor: limitMinor })
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .execute();
}

export async function invoiceRow(t: TestApp, id: string) {
  return t.owner.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function approvalRows(t: TestApp, id: string) {
  return t.owner.selectFrom('invoice_approvals').selectAll().where('invoice_id', '=', id).execute();
}

export async function historyRows(t: TestApp, id: string) {
  return t.owner.selectFrom('invoice_status_history').selectAll().where('invoice_id', '=', id).orderBy('id').execute();
}
