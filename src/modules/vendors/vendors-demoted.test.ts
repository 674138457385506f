import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { userActor } from '../../core/audit/audit.ts';
import { ForbiddenError } from '../../core/http/errors.ts';
import { buildOrg, buildVendor, orgAudit } from '../../testing/factories.ts';
import { useTestApp } from '../../testing/harness.ts';
import { createVendor, setVendorArchived, updateVendor, vendorSchema } from './service.ts';

const t = useTestApp();

describe('vendors: the role is read again inside the change', () => {
  it('an accountant demoted after the request’s membership check cannot create, edit or archive a vendor', async () => {
    const { orgId, people, orgOf } = await buildOrg(t, { roles: ['accountant'] });
    const vendor = await buildVendor(t, orgId);
    // The org as the request's membership check saw it: still an accountant.
    const checked = orgOf(people.accountant);
    await t.owner
      .updateTable('memberships')
      .set({ role: 'member' })
      .where('org_id', '=', orgId)
      .where('user_id', '=', people.accountant.id)
      .execute();
    const before = await t.owner.selectFrom('vendors').selectAll().where('org_id', '=', orgId).execute();
    const actor = userActor({ requestId: 'test', ip: null }, people.accountant.id);
    const input = vendorSchema.parse({
      name: 'Renamed GmbH',
      tax_id: 'DE999999999',
      iban: 'DE89370400440532013000',
      default_currency: 'EUR',
    });
    await assert.rejects(createVendor(t.db, actor, checked, input), ForbiddenError);
    await assert.rejects(updateVendor(t.db, actor, checked, vendor.id, input), ForbiddenError);
    await assert.rejects(setVendorArchived(t.db, actor, checked, vendor.id, true), ForbiddenError);
    assert.deepEqual(await t.owner.selectFrom('vendors').selectAll().where('org_id', '=', orgId).execute(), before);
    const audited = await orgAudit(t, orgId, 'vendor.%');
    assert.deepEqual(audited, []);
  });
});
