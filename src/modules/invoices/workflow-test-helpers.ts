// Test support for the workflow tests: the org they share, and reading an invoice's rows back.
import { buildInvoice, buildOrg, buildVendor, type Member } from '../../testing/factories.ts';
import type { TestApp } from '../../testing/harness.ts';

export type { Member as Person } from '../../testing/factories.ts';

/** An org with its owner, two approvers, two members and one person in each other role, and a vendor. */
export async function team(t: TestApp) {
  const org = await buildOrg(t, {
    name: 'Workflow Org',
    ownerName: 'Olive Owner',
    roles: ['admin', 'approver', 'approver2', 'accountant', 'member', 'member2', 'viewer'],
  });
  return { ...org, vendor: await buildVendor(t, org.orgId, { name: 'Acme Supplies' }) };
}

/** An invoice of the team's vendor for `amountMinor`, submitted by `by` (the member unless told). */
export function submittedInvoice(
  t: TestApp,
  tm: Awaited<ReturnType<typeof team>>,
  amountMinor: number,
  over: { by?: Member; currency?: string } = {},
) {
  return buildInvoice(t, tm.orgId, tm.vendor.id, {
    status: 'submitted',
    amountMinor,
    currency: over.currency,
    createdBy: (over.by ?? tm.people.member).id,
  });
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

export const url = (slug: string, id: string, action = '') => `/o/${slug}/invoices/${id}${action ? `/${action}` : ''}`;
