import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../../testing/harness.ts';
import { buildOrg, orgAudit } from '../../testing/factories.ts';
import { PAYOUT_TEAM, saveBankAccount } from './test-helpers.ts';

const t = useTestApp();

describe('payouts: the paying account', () => {
  it('owners and admins set it (IBAN checked with mod-97), it is shown masked and audited masked; others get 403', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const denied = await saveBankAccount(tm.people.accountant.agent, tm.slug, 'X', 'DE89370400440532013000');
    assert.equal(denied.statusCode, 403);
    const bad = await saveBankAccount(tm.people.admin.agent, tm.slug, 'Payout Team', 'DE89370400440532013001');
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /valid IBAN/);
    const ok = await saveBankAccount(
      tm.people.admin.agent,
      tm.slug,
      'Payout Team',
      'de89 3704 0044 0532 0130 00',
      'cobadeffxxx',
    );
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
    const [audit] = await orgAudit(t, tm.orgId, 'org.bank_account_changed');
    assert.ok(!JSON.stringify(audit!.changes).includes('0532013000'), 'the audit log has no full IBAN');
  });
});
