import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../../testing/harness.ts';
import { buildOrg } from '../../testing/factories.ts';
import { PAYOUT_TEAM } from './test-helpers.ts';

const t = useTestApp();

describe('payouts: the paying account', () => {
  it('owners and admins set it (IBAN checked with mod-97), it is shown masked and audited masked; others get 403', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    await tm.people.accountant.agent.get(`/o/${tm.slug}/payouts`);
    const denied = await tm.people.accountant.agent.post(`/o/${tm.slug}/payouts/bank-account`, {
      bank_account_name: 'X',
      bank_iban: 'DE89370400440532013000',
      bank_bic: '',
    });
    assert.equal(denied.statusCode, 403);
    await tm.people.admin.agent.get(`/o/${tm.slug}/payouts`);
    const bad = await tm.people.admin.agent.post(`/o/${tm.slug}/payouts/bank-account`, {
      bank_account_name: 'Payout Team',
      bank_iban: 'DE89370400440532013001',
      bank_bic: '',
    });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /valid IBAN/);
    const ok = await tm.people.admin.agent.post(`/o/${tm.slug}/payouts/bank-account`, {
      bank_account_name: 'Payout Team',
      bank_iban: 'de89 3704 0044 0532 0130 00',
      bank_bic: 'cobadeffxxx',
    });
    assert.equal(ok.statusCode, 303);
    const org = await t.owner
      .selectFrom('organizations')
      .select(['bank_iban', 'bank_bic'])
      .where('id', '=', tm.orgId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(org, { bank_iban: 'DE89370400440532013000', bank_bic: 'COBADEFFXXX' });
    const page = await tm.people.admin.agent.get(`/o/${tm.slug}/payouts`);
    assert.ok(!page.body.includes('DE89370400440532013000'), 'the page shows the IBAN masked');
    assert.match(page.body, /DE89 •••• •••• •••• 3000/);
    const audit = await t.owner
      .selectFrom('audit_log')
      .select('changes')
      .where('org_id', '=', tm.orgId)
      .where('action', '=', 'org.bank_account_changed')
      .executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(audit.changes).includes('0532013000'), 'the audit log has no full IBAN');
  });
});
