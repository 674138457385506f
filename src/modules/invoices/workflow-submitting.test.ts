import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../../testing/harness.ts';
import { buildInvoice, orgAudit } from '../../testing/factories.ts';
import { historyRows, invoiceRow, team, url } from './workflow-test-helpers.ts';

const t = useTestApp();

describe('submitting', () => {
  it('sets the submitter, and two approvals at or above the threshold (compared by face value)', async () => {
    const { slug, orgId, vendor, people } = await team(t);
    const cases = [
      { amountMinor: 1_000_000, currency: 'EUR', required: 2 },
      { amountMinor: 999_999, currency: 'EUR', required: 1 },
      { amountMinor: 10_000, currency: 'JPY', required: 2 },
      { amountMinor: 9_999, currency: 'JPY', required: 1 },
    ];
    for (const c of cases) {
      const inv = await buildInvoice(t, orgId, vendor.id, {
        amountMinor: c.amountMinor,
        currency: c.currency,
        createdBy: people.member.id,
      });
      const res = await people.member.agent.post(url(slug, inv.id, 'submit'), {});
      assert.equal(res.statusCode, 303, JSON.stringify(c));
      assert.equal(res.headers.location, url(slug, inv.id));
      const row = await invoiceRow(t, inv.id);
      assert.equal(row.status, 'submitted');
      assert.equal(row.approvals_required, c.required, JSON.stringify(c));
      assert.equal(row.submitted_by, people.member.id);
      assert.ok(row.submitted_at);
      const history = await historyRows(t, inv.id);
      assert.deepEqual(
        history.map((h) => [h.from_status, h.to_status, h.actor_id]),
        [['draft', 'submitted', people.member.id]],
      );
    }
    const audit = await orgAudit(t, orgId, 'invoice.submitted');
    assert.equal(audit.length, cases.length);
  });

  it('a viewer cannot submit (403); a submitted invoice cannot be submitted again (409)', async () => {
    const { slug, orgId, vendor, people } = await team(t);
    const draft = await buildInvoice(t, orgId, vendor.id, { createdBy: people.member.id });
    assert.equal((await people.viewer.agent.post(url(slug, draft.id, 'submit'), {})).statusCode, 403);
    assert.equal((await invoiceRow(t, draft.id)).status, 'draft');
    assert.equal((await people.member.agent.post(url(slug, draft.id, 'submit'), {})).statusCode, 303);
    const again = await people.member.agent.post(url(slug, draft.id, 'submit'), {});
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /Member Person submitted this invoice a moment ago/);
  });
});
