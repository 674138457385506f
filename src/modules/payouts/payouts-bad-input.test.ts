import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../../testing/harness.ts';
import { buildOrg, orgAudit } from '../../testing/factories.ts';
import { PAYOUT_TEAM, saveBankAccount } from './test-helpers.ts';

const t = useTestApp();

describe('payouts: bad input', () => {
  it('a NUL character in the bank-account form is refused (400) and nothing is saved or audited', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const res = await saveBankAccount(tm.owner.agent, tm.slug, 'Payout\u0000Team', 'DE89370400440532013000');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /NUL character/);
    const org = await t.owner
      .selectFrom('organizations')
      .select(['bank_account_name', 'bank_iban'])
      .where('id', '=', tm.orgId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(org, { bank_account_name: null, bank_iban: null });
    const audit = await orgAudit(t, tm.orgId, 'org.bank_account_changed');
    assert.deepEqual(audit, []);
  });

  it('a forged currency on the new-payout page answers 400 naming it, never 500; an empty one is no choice', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const agent = tm.people.accountant.agent;
    for (const q of ['currency=euro', 'currency=E1', 'currency=%00', 'currency=EUR&currency=USD']) {
      const res = await agent.get(`/o/${tm.slug}/payouts/new?${q}`);
      assert.equal(res.statusCode, 400, q);
      if (!q.includes('%00')) assert.match(res.body, /currency/, q);
    }
    assert.equal((await agent.get(`/o/${tm.slug}/payouts/new?currency=`)).statusCode, 200);
    assert.equal((await agent.get(`/o/${tm.slug}/payouts/new?currency=usd`)).statusCode, 200);
  });

  it('a payout id that is not an id is a page that does not exist (404) on every payout route', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const agent = tm.owner.agent;
    await agent.get(`/o/${tm.slug}/payouts`);
    for (const suffix of ['', '/payment.csv', '/payment.xml'])
      assert.equal((await agent.get(`/o/${tm.slug}/payouts/not-an-id${suffix}`)).statusCode, 404, suffix);
    for (const action of ['approve', 'cancel', 'paid'])
      assert.equal(
        (await agent.post(`/o/${tm.slug}/payouts/not-an-id/${action}`, { bank_reference: 'X' })).statusCode,
        404,
        action,
      );
  });
});
