// Test support for the approval queue: an org with an owner and a member, and the invoice
// numbers a queue page lists, in order.
import { buildOrg } from '../../testing/factories.ts';
import type { TestApp } from '../../testing/harness.ts';

export async function queueOrg(t: TestApp) {
  const o = await buildOrg(t, { name: 'Queue Org', roles: ['member'] });
  const member = o.people.member;
  return { owner: { ...o.owner, slug: o.slug }, orgId: o.orgId, ownerId: o.owner.id, member, memberId: member.id };
}

export const numbers = (body: string) => [...body.matchAll(/class="strong-link">([^<]+)</g)].map((m) => m[1] ?? '');
