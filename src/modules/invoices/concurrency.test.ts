// Two people clicking at the same moment, over two real database connections: one winner,
// one clear message, and the invoice moved exactly once. Each race runs several times so
// that a pass is not luck of scheduling.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../../testing/harness.ts';
import { buildInvoice } from '../../testing/factories.ts';
import { approvalRows, historyRows, invoiceRow, team, type Person } from './workflow-test-helpers.ts';

const t = useTestApp();
const ROUNDS = 8;

const url = (slug: string, id: string, action: string) => `/o/${slug}/invoices/${id}/${action}`;

/** One person's click: who, the action, and the form's fields. */
type Click = [Person, string, Record<string, string>?];

/** A fresh invoice the member submitted (with `over`), and two people's clicks on it at the same moment. */
async function race(
  tm: Awaited<ReturnType<typeof team>>,
  first: Click,
  second: Click,
  over: Parameters<typeof buildInvoice>[3] = {},
) {
  const inv = await buildInvoice(t, tm.orgId, tm.vendor.id, {
    status: 'submitted',
    createdBy: tm.people.member.id,
    ...over,
  });
  const [a, b] = await Promise.all(
    [first, second].map(([p, action, fields]) => p.agent.post(url(tm.slug, inv.id, action), fields ?? {})),
  );
  return { inv, a: a!, b: b! };
}

describe('concurrent decisions on one invoice', () => {
  it('two approvers approving a one-approval invoice at once: one 303, one 409, one approval, approved once', async () => {
    const tm = await team(t);
    const { people } = tm;
    for (let round = 0; round < ROUNDS; round++) {
      const { inv, a, b } = await race(tm, [people.approver, 'approve'], [people.admin, 'approve']);
      assert.deepEqual([a.statusCode, b.statusCode].sort(), [303, 409], `round ${round}`);
      const loser = a.statusCode === 409 ? a : b;
      assert.match(loser.body, /(Approver|Admin) Person approved this invoice a moment ago, so it cannot be approved/);
      assert.equal((await approvalRows(t, inv.id)).length, 1);
      const history = await historyRows(t, inv.id);
      assert.equal(history.filter((h) => h.from_status === 'submitted' && h.to_status === 'approved').length, 1);
      assert.equal((await invoiceRow(t, inv.id)).status, 'approved');
    }
  });

  it('two different approvers on a two-approval invoice at once: both approvals count and it is approved exactly once', async () => {
    const tm = await team(t);
    const { people } = tm;
    for (let round = 0; round < ROUNDS; round++) {
      const { inv, a, b } = await race(tm, [people.approver, 'approve'], [people.admin, 'approve'], {
        amountMinor: 5_000_000,
        approvalsRequired: 2,
      });
      assert.deepEqual([a.statusCode, b.statusCode], [303, 303], `round ${round}`);
      assert.equal((await approvalRows(t, inv.id)).length, 2);
      const history = await historyRows(t, inv.id);
      assert.equal(history.filter((h) => h.to_status === 'approved').length, 1);
      assert.equal((await invoiceRow(t, inv.id)).status, 'approved');
      const audit = await t.owner.selectFrom('audit_log').select('action').where('target_id', '=', inv.id).execute();
      assert.deepEqual(audit.map((e) => e.action).sort(), ['invoice.approval_recorded', 'invoice.approved']);
    }
  });

  it('approve racing reject: one wins, the other gets a clear 409, and the invoice is in exactly one end state', async () => {
    const tm = await team(t);
    const { people } = tm;
    for (let round = 0; round < ROUNDS; round++) {
      const {
        inv,
        a: approve,
        b: reject,
      } = await race(tm, [people.approver, 'approve'], [people.admin, 'reject', { reason: 'Wrong vendor' }]);
      assert.deepEqual([approve.statusCode, reject.statusCode].sort(), [303, 409], `round ${round}`);
      const row = await invoiceRow(t, inv.id);
      const decisions = (await historyRows(t, inv.id)).filter((h) => h.from_status === 'submitted');
      assert.equal(decisions.length, 1);
      if (approve.statusCode === 303) {
        assert.equal(row.status, 'approved');
        assert.equal(row.rejection_reason, null);
        assert.match(
          reject.body,
          /Approver Person approved this invoice a moment ago, so it can no longer be rejected/,
        );
        assert.equal((await approvalRows(t, inv.id)).length, 1);
      } else {
        assert.equal(row.status, 'rejected');
        assert.equal(row.rejection_reason, 'Wrong vendor');
        assert.match(approve.body, /Admin Person rejected this invoice a moment ago, so it cannot be approved/);
        assert.equal((await approvalRows(t, inv.id)).length, 0);
      }
    }
  });

  it('withdraw racing approve: the invoice ends either approved or back in draft without approvals, never both', async () => {
    const tm = await team(t);
    const { people } = tm;
    for (let round = 0; round < ROUNDS; round++) {
      const {
        inv,
        a: withdraw,
        b: approve,
      } = await race(tm, [people.member, 'withdraw'], [people.approver, 'approve']);
      assert.deepEqual([withdraw.statusCode, approve.statusCode].sort(), [303, 409], `round ${round}`);
      const row = await invoiceRow(t, inv.id);
      const approvals = await approvalRows(t, inv.id);
      if (withdraw.statusCode === 303) assert.deepEqual([row.status, approvals.length], ['draft', 0]);
      else assert.deepEqual([row.status, approvals.length], ['approved', 1]);
    }
  });
});
