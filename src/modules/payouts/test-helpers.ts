// Test support for payouts: the team, forms with repeated fields, and reading a payout's rows back.
import assert from 'node:assert/strict';
import type { Agent, TestApp } from '../../testing/harness.ts';
import { buildInvoice, buildVendor, type BuiltOrg } from '../../testing/factories.ts';

/** The owner and people in each role (two accountants and two approvers, for the races). */
export const PAYOUT_TEAM = {
  name: 'Payout Team',
  roles: ['admin', 'approver', 'approver2', 'accountant', 'accountant2', 'member', 'viewer'],
} as const;

/** Posts a form with repeated fields (invoice=…&invoice=…), with the CSRF token of the last page loaded. */
export async function postPairs(agent: Agent, url: string, pairs: [string, string][]) {
  const body = new URLSearchParams([...pairs, ['_csrf', agent.csrf ?? '']]).toString();
  return agent.request({
    method: 'POST',
    url,
    payload: body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

export async function createPayout(agent: Agent, slug: string, currency: string, invoiceIds: string[]) {
  await agent.get(`/o/${slug}/payouts`);
  return postPairs(agent, `/o/${slug}/payouts`, [
    ['currency', currency],
    ...invoiceIds.map((id): [string, string] => ['invoice', id]),
  ]);
}

export async function act(
  agent: Agent,
  slug: string,
  payoutId: string,
  action: string,
  fields: Record<string, string> = {},
) {
  await agent.get(`/o/${slug}/payouts`);
  return agent.post(`/o/${slug}/payouts/${payoutId}/${action}`, fields);
}

/** Sends the paying-account form of the org `slug` as `agent`, from the payouts page. */
export async function saveBankAccount(agent: Agent, slug: string, name: string, iban: string, bic = '') {
  await agent.get(`/o/${slug}/payouts`);
  return agent.post(`/o/${slug}/payouts/bank-account`, { bank_account_name: name, bank_iban: iban, bank_bic: bic });
}

export function payoutIdFrom(res: { headers: Record<string, unknown> }): string {
  const m = /\/payouts\/([0-9a-f-]{36})$/.exec(String(res.headers.location));
  assert.ok(m, `redirected to a payout, not ${String(res.headers.location)}`);
  return m[1]!;
}

/** An approved payout of the given invoices, created by the accountant and approved by the approver. */
export type Team = BuiltOrg<'approver' | 'accountant'>;

/** Helpers bound to the test file’s app (each test file has its own). */
export function payoutHelpers(t: TestApp) {
  function payout(id: string) {
    return t.owner.selectFrom('payouts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  /** Everything a refused request must leave alone: the payout row, its approvals and its invoices. */
  async function payoutState(id: string) {
    return {
      payout: await payout(id),
      approvals: await t.owner
        .selectFrom('payout_approvals')
        .select(['approver_id', 'created_at'])
        .where('payout_id', '=', id)
        .orderBy('approver_id')
        .execute(),
      invoices: await t.owner
        .selectFrom('invoices')
        .select(['id', 'status', 'payout_id', 'paid_at'])
        .where('payout_id', '=', id)
        .orderBy('id')
        .execute(),
    };
  }

  async function invoiceStates(ids: string[]) {
    return t.owner
      .selectFrom('invoices')
      .select(['id', 'status', 'payout_id', 'paid_at'])
      .where('id', 'in', ids)
      .orderBy('id')
      .execute();
  }

  async function approvedInvoices(
    orgId: string,
    n: number,
    over: { currency?: string; amountMinor?: number; vendorName?: string; iban?: string } = {},
  ) {
    const vendor = await buildVendor(t, orgId, { name: over.vendorName, currency: over.currency, iban: over.iban });
    const ids: string[] = [];
    for (let i = 0; i < n; i++)
      ids.push(
        (
          await buildInvoice(t, orgId, vendor.id, {
            status: 'approved',
            currency: over.currency,
            amountMinor: over.amountMinor,
          })
        ).id,
      );
    return { vendor, ids };
  }

  async function approvedPayout(team: Team, ids: string[], currency = 'EUR') {
    const id = payoutIdFrom(await createPayout(team.people.accountant.agent, team.slug, currency, ids));
    assert.equal((await act(team.people.approver.agent, team.slug, id, 'approve')).statusCode, 303);
    assert.equal((await payout(id)).status, 'approved');
    return id;
  }
  /** The org's paying account, which a SEPA file names as the payer. */
  async function setBank(orgId: string) {
    await t.owner
      .updateTable('organizations')
      .set({ bank_account_name: 'Payout Team GmbH', bank_iban: 'DE02120300000000202051', bank_bic: 'BYLADEM1001' })
      .where('id', '=', orgId)
      .execute();
  }
  return { payout, payoutState, invoiceStates, approvedInvoices, approvedPayout, setBank };
}

/** Downloads a payout's payment file as a person does: opens the page its link leads to, then presses Download. */
export async function downloadPaymentFile(agent: Agent, url: string) {
  await agent.get(url);
  return agent.post(url, {});
}
