import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signUp, useTestApp } from '../../testing/harness.ts';
import { buildInvoice, buildOrg, buildVendor } from '../../testing/factories.ts';

const t = useTestApp();

describe('dashboard', () => {
  it('shows money waiting per currency, what needs the viewer, aging and spend charts as inline SVG', async () => {
    const o = await buildOrg(t, { name: 'Dash Org', roles: ['member'] });
    const { orgId } = o;
    const owner = { ...o.owner, slug: o.slug };
    const member = o.people.member;
    const memberId = member.id;
    const v = await buildVendor(t, orgId, { name: 'Chart Vendor' });
    const month = new Date().toISOString().slice(0, 8);
    // Issued on the first of this month, submitted by the member, due far ahead unless told.
    const invoice = (over: Parameters<typeof buildInvoice>[3]) =>
      buildInvoice(t, orgId, v.id, { submittedBy: memberId, issueDate: `${month}01`, dueDate: '2030-01-01', ...over });
    await invoice({ status: 'submitted', amountMinor: 100_050 });
    await invoice({ status: 'submitted', amountMinor: 20_000, currency: 'USD' });
    await invoice({ status: 'approved', amountMinor: 70_000, dueDate: `${month}01` });
    const page = await owner.agent.get(`/o/${owner.slug}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /€1,000\.50/, 'awaiting approval in EUR');
    assert.match(page.body, /US\$200\.00/, 'and in USD, never added to euros');
    assert.match(page.body, /Invoices waiting for your approval<\/a><span class="badge badge-amber">2</);
    assert.match(page.body, /<svg class="chart"[^>]*role="img"/);
    assert.match(page.body, /Chart Vendor: €700\.00/, 'the vendor bar carries its exact amount');
    assert.doesNotMatch(page.body, /style="/, 'no inline style: the CSP forbids it');
    // A member is not asked to approve.
    const asMember = await member.agent.get(`/o/${owner.slug}`);
    assert.doesNotMatch(asMember.body, /waiting for your approval/);
  });

  it('an empty organization gets friendly empty states, not broken charts', async () => {
    const owner = await signUp(t.app);
    const page = await owner.agent.get(`/o/${owner.slug}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /No approved spend in the last 12 months/);
    assert.match(page.body, /Nothing waiting/);
  });
});
