import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../../core/testing/harness.ts';
import { seedDemo } from './service.ts';

const t = useTestApp();

describe('demo data', () => {
  it('seeds one login per role, two organizations and a pending invitation, once', async () => {
    const logins = await seedDemo(t.db);
    assert.equal(logins?.length, 6);
    const northwind = await t.owner.selectFrom('organizations').selectAll().where('name', '=', 'Northwind Traders').executeTakeFirstOrThrow();
    assert.equal(northwind.billing_email, 'billing@northwind.demo.ledgerworks.test');
    assert.equal(northwind.approval_threshold_minor, '500000');
    const roles = await t.owner.selectFrom('memberships').select('role').where('org_id', '=', northwind.id).execute();
    assert.deepEqual(roles.map((r) => r.role).sort(), ['accountant', 'admin', 'approver', 'member', 'owner', 'viewer']);
    assert.ok(await t.owner.selectFrom('invitations').select('id').where('org_id', '=', northwind.id).where('accepted_at', 'is', null).executeTakeFirst());
    assert.equal(await seedDemo(t.db), null, 'a second run seeds nothing');
  });
});
