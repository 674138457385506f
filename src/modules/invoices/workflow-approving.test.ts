import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { userActor } from '../../core/audit/audit.ts';
import { withOrg } from '../../core/db/tenancy.ts';
import { useTestApp } from '../../testing/harness.ts';
import { compareFaceValue } from '../../core/money.ts';
import { approvalBlocker, eligibleToApproveSql } from './approval-policy.ts';
import { approverOf, bulkApprove } from './service.ts';
import { buildApproval, buildInvoice } from '../../testing/factories.ts';
import {
  approvalRows,
  historyRows,
  invoiceRow,
  setLimit,
  submittedInvoice,
  team,
  url,
} from './workflow-test-helpers.ts';

const t = useTestApp();

describe('face value comparisons', () => {
  it('compares amounts in different currencies by face value, exactly', () => {
    const eur = (minor: bigint | string) => ({ minor, minorUnits: 2, currency: 'EUR' });
    const jpy = (minor: bigint | string) => ({ minor, minorUnits: 0, currency: 'JPY' });
    assert.equal(compareFaceValue(eur('1000000'), eur('1000000')), 0);
    assert.equal(compareFaceValue(jpy('10000'), eur('1000000')), 0);
    assert.equal(compareFaceValue(jpy('9999'), eur('1000000')), -1);
    assert.equal(compareFaceValue(eur('1000001'), jpy('10000')), 1);
    // Beyond a double's exact range: still exact.
    assert.equal(compareFaceValue(eur('999999999999999999'), eur('999999999999999998')), 1);
  });
});

describe('approving', () => {
  it('at the threshold two different approvers are needed; the same person twice is refused (409)', async () => {
    const { slug, orgId, vendor, people } = await team(t);
    const inv = await buildInvoice(t, orgId, vendor.id, { amountMinor: 2_500_000, createdBy: people.member.id });
    assert.equal((await people.member.agent.post(url(slug, inv.id, 'submit'), {})).statusCode, 303);
    assert.equal((await invoiceRow(t, inv.id)).approvals_required, 2);

    assert.equal((await people.approver.agent.post(url(slug, inv.id, 'approve'), {})).statusCode, 303);
    assert.equal((await invoiceRow(t, inv.id)).status, 'submitted');
    const page = await people.approver.agent.get(url(slug, inv.id));
    assert.match(page.body, /1 of 2 approvals/);
    assert.match(page.body, /Your approval is recorded \(1 of 2\)/);
    assert.ok(
      !page.body.includes(`action="${url(slug, inv.id, 'approve')}"`),
      'no Approve button for someone who already approved',
    );

    const twice = await people.approver.agent.post(url(slug, inv.id, 'approve'), {});
    assert.equal(twice.statusCode, 409);
    assert.match(twice.body, /already approved this invoice/);
    assert.equal((await approvalRows(t, inv.id)).length, 1);

    assert.equal((await people.admin.agent.post(url(slug, inv.id, 'approve'), {})).statusCode, 303);
    const row = await invoiceRow(t, inv.id);
    assert.equal(row.status, 'approved');
    assert.ok(row.decided_at);
    assert.equal((await approvalRows(t, inv.id)).length, 2);
    const history = await historyRows(t, inv.id);
    assert.deepEqual(
      history.map((h) => [h.from_status, h.to_status]),
      [
        ['draft', 'submitted'],
        ['submitted', 'approved'],
      ],
    );
    assert.equal(history[1]!.actor_id, people.admin.id);
    const audit = await t.owner
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id'])
      .where('target_id', '=', inv.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['invoice.submitted', 'invoice.approval_recorded', 'invoice.approved'],
    );
  });

  it('approving a draft, an approved or a rejected invoice answers 409 and says what happened', async () => {
    const { slug, orgId, vendor, people } = await team(t);
    const draft = await buildInvoice(t, orgId, vendor.id, { createdBy: people.member.id });
    const res = await people.approver.agent.post(url(slug, draft.id, 'approve'), {});
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /draft/);

    const inv = await buildInvoice(t, orgId, vendor.id, { status: 'submitted', createdBy: people.member.id });
    assert.equal((await people.admin.agent.post(url(slug, inv.id, 'approve'), {})).statusCode, 303);
    const late = await people.approver.agent.post(url(slug, inv.id, 'approve'), {});
    assert.equal(late.statusCode, 409);
    assert.match(late.body, /Admin Person approved this invoice a moment ago, so it cannot be approved/);
    assert.equal((await approvalRows(t, inv.id)).length, 1);

    const rejected = await buildInvoice(t, orgId, vendor.id, { status: 'rejected', createdBy: people.member.id });
    assert.equal((await people.approver.agent.post(url(slug, rejected.id, 'approve'), {})).statusCode, 409);
  });

  it('bulkApprove answers per invoice: one approved, one refused as self-approval, one over the limit; an id the org does not have is a 404 for the batch', async () => {
    const tm = await team(t);
    const { orgId, people, orgOf } = tm;
    await setLimit(t, orgId, people.approver.id, 100_000);
    const ok = await submittedInvoice(t, tm, 50_000);
    const own = await submittedInvoice(t, tm, 50_000, { by: people.approver });
    const big = await submittedInvoice(t, tm, 100_001);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const results = await bulkApprove(
      t.db,
      userActor({ requestId: 'test', ip: null }, people.approver.id),
      orgOf(people.approver),
      [ok.id, own.id, big.id, ok.id],
    );
    assert.deepEqual(
      results.map((r) => [r.id, r.number, r.ok]),
      [
        [ok.id, ok.number, true],
        [own.id, own.number, false],
        [big.id, big.number, false],
      ],
    );
    assert.match(results[0]!.message, /Approved/);
    assert.match(results[1]!.message, /You submitted this invoice/);
    assert.match(results[2]!.message, /above your approval limit of €1,000\.00/);
    assert.equal((await invoiceRow(t, ok.id)).status, 'approved');
    assert.equal((await invoiceRow(t, own.id)).status, 'submitted');
    assert.equal((await invoiceRow(t, big.id)).status, 'submitted');
    await assert.rejects(
      bulkApprove(t.db, userActor({ requestId: 'test', ip: null }, people.member.id), orgOf(people.member), [big.id]),
      /permission/,
    );
    // Nothing of a batch naming an unknown invoice is approved.
    await assert.rejects(
      bulkApprove(t.db, userActor({ requestId: 'test', ip: null }, people.approver.id), orgOf(people.approver), [
        big.id,
        unknown,
      ]),
      /could not find one of the selected invoices/,
    );
  });

  it('the SQL condition for "waiting for me" agrees with approvalBlocker on every invoice', async () => {
    const { orgId, vendor, people } = await team(t);
    await setLimit(t, orgId, people.approver.id, 500_000);
    const mk = (o: Parameters<typeof buildInvoice>[3]) => buildInvoice(t, orgId, vendor.id, o);
    await mk({ status: 'submitted', amountMinor: 10_000, createdBy: people.member.id });
    await mk({ status: 'submitted', amountMinor: 500_000, createdBy: people.member.id });
    await mk({ status: 'submitted', amountMinor: 500_001, createdBy: people.member.id });
    await mk({ status: 'submitted', amountMinor: 5_000, currency: 'JPY', createdBy: people.member.id });
    await mk({ status: 'submitted', amountMinor: 5_001, currency: 'JPY', createdBy: people.member.id });
    await mk({ status: 'submitted', amountMinor: 10_000, createdBy: people.approver.id });
    // Typed in by the approver, submitted by the member: not the approver's to approve either.
    await mk({
      status: 'submitted',
      amountMinor: 10_000,
      createdBy: people.approver.id,
      submittedBy: people.member.id,
    });
    await mk({ status: 'approved', amountMinor: 10_000, createdBy: people.member.id });
    await mk({ status: 'draft', amountMinor: 10_000, createdBy: people.member.id });
    const twoStep = await mk({
      status: 'submitted',
      amountMinor: 20_000,
      createdBy: people.member.id,
      approvalsRequired: 2,
    });
    await buildApproval(t, orgId, twoStep.id, people.approver.id);

    for (const p of [people.approver, people.admin, people.member, people.viewer]) {
      await withOrg(t.db, orgId, p.id, async (tx) => {
        const me = (await approverOf(tx, orgId, p.id))!;
        const bySql = await tx
          .selectFrom('invoices as i')
          .select('i.id')
          .where(eligibleToApproveSql('i', me))
          .execute();
        const all = await tx.selectFrom('invoices').selectAll().execute();
        const expected = [];
        for (const inv of all) {
          const approvedBy = (
            await tx.selectFrom('invoice_approvals').select('approver_id').where('invoice_id', '=', inv.id).execute()
          ).map((a) => a.approver_id);
          const minorUnits = inv.currency === 'JPY' ? 0 : 2;
          const blocker = approvalBlocker({
            approver: { userId: p.id, role: me.role, limit: me.limit },
            invoice: {
              status: inv.status,
              submittedBy: inv.submitted_by,
              createdBy: inv.created_by,
              amount: { minor: inv.amount_minor, minorUnits, currency: inv.currency },
              approvedBy,
            },
          });
          if (!blocker) expected.push(inv.id);
        }
        assert.deepEqual(bySql.map((r) => r.id).sort(), expected.sort(), p.role);
        if (p === people.approver) assert.equal(expected.length, 3);
        if (p === people.admin) assert.equal(expected.length, 8);
        if (p.role === 'member' || p.role === 'viewer') assert.equal(expected.length, 0);
      });
    }
  });
});
