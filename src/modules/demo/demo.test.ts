import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../../testing/harness.ts';
import { seedDemo } from './service.ts';

const t = useTestApp();

describe('demo data', () => {
  it('seeds one login per role, two organizations and a pending invitation, once', async () => {
    const logins = await seedDemo(t.db, t.services.links);
    assert.equal(logins?.length, 7);
    const staff = await t.owner
      .selectFrom('users')
      .select(['email', 'staff_role'])
      .where('staff_role', 'is not', null)
      .execute();
    assert.deepEqual(staff, [{ email: 'sam.staff@demo.ledgerworks.test', staff_role: 'superuser' }]);
    const northwind = await t.owner
      .selectFrom('organizations')
      .selectAll()
      .where('name', '=', 'Northwind Traders')
      .executeTakeFirstOrThrow();
    assert.equal(northwind.billing_email, 'billing@northwind.demo.ledgerworks.test');
    assert.equal(northwind.approval_threshold_minor, '500000');
    const roles = await t.owner.selectFrom('memberships').select('role').where('org_id', '=', northwind.id).execute();
    assert.deepEqual(roles.map((r) => r.role).sort(), ['accountant', 'admin', 'approver', 'member', 'owner', 'viewer']);
    assert.ok(
      await t.owner
        .selectFrom('invitations')
        .select('id')
        .where('org_id', '=', northwind.id)
        .where('accepted_at', 'is', null)
        .executeTakeFirst(),
    );
    const states = await t.owner
      .selectFrom('invoices')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('org_id', '=', northwind.id)
      .groupBy('status')
      .execute();
    const byState = Object.fromEntries(states.map((r) => [r.status, Number(r.n)]));
    assert.deepEqual(Object.keys(byState).sort(), ['approved', 'draft', 'paid', 'rejected', 'scheduled', 'submitted']);
    assert.equal(
      Object.values(byState).reduce((a, b) => a + b, 0),
      3000,
    );
    const currencies = await t.owner
      .selectFrom('invoices')
      .select('currency')
      .distinct()
      .where('org_id', '=', northwind.id)
      .execute();
    assert.ok(currencies.length >= 4, 'several currencies');
    const payouts = await t.owner.selectFrom('payouts').select(['status']).where('org_id', '=', northwind.id).execute();
    assert.ok(payouts.some((p) => p.status === 'paid') && payouts.some((p) => p.status === 'pending'));
    const orphanHistory = await t.owner
      .selectFrom('invoices as i')
      .select('i.id')
      .where('i.org_id', '=', northwind.id)
      .where('i.status', '<>', 'draft')
      .where((eb) =>
        eb.not(
          eb.exists(eb.selectFrom('invoice_status_history as h').select('h.id').whereRef('h.invoice_id', '=', 'i.id')),
        ),
      )
      .execute();
    assert.equal(orphanHistory.length, 0, 'every invoice past draft has its history');
    const reports = await t.owner
      .selectFrom('monthly_reports')
      .select('month')
      .where('org_id', '=', northwind.id)
      .execute();
    assert.equal(reports.length, 3, 'the last three months are reported');
    assert.equal(await seedDemo(t.db, t.services.links), null, 'a second run seeds nothing');
  });
});
