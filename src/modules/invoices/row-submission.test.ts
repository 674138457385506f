import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { useTestApp } from '../../testing/harness.ts';
import { buildInvoice, buildOrg, buildVendor } from '../../testing/factories.ts';

const t = useTestApp();

describe('a refused row form and its submission key', () => {
  it('a rejection without a reason (answered 200 in the row) lets go of its key, so the corrected one goes through', async () => {
    const org = await buildOrg(t, { name: 'Row Key Org', roles: ['approver', 'member'] });
    const vendor = await buildVendor(t, org.orgId);
    const invoice = await buildInvoice(t, org.orgId, vendor.id, {
      status: 'submitted',
      createdBy: org.people.member.id,
    });
    const approver = org.people.approver.agent;
    await approver.get(`/o/${org.slug}/invoices`);
    const submission = randomUUID();
    const url = `/o/${org.slug}/invoices/${invoice.id}/row/reject`;
    const htmx = { 'hx-request': 'true' };

    const refused = await approver.post(url, { reason: '' }, { submission, headers: htmx });
    assert.equal(refused.statusCode, 200);
    assert.match(refused.body, /Say why|reason/i);
    const kept = await t.owner.selectFrom('form_submissions').select('key').where('key', '=', submission).execute();
    assert.deepEqual(kept, [], 'the refused form released its key');

    const corrected = await approver.post(url, { reason: 'The amount is wrong' }, { submission, headers: htmx });
    assert.equal(corrected.statusCode, 200);
    const row = await t.owner
      .selectFrom('invoices')
      .select('status')
      .where('org_id', '=', org.orgId)
      .where('id', '=', invoice.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'rejected');
  });
});
