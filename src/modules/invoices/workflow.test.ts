import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withOrg } from '../../core/db/tenancy.ts';
import { signUp, useTestApp } from '../../testing/harness.ts';
import { compareFaceValue } from '../../core/money.ts';
import { approvalBlocker, eligibleToApproveSql } from './approval-policy.ts';
import { approverOf, bulkApprove } from './service.ts';
import { buildInvoice, buildVendor } from '../../testing/factories.ts';
import { approvalRows, historyRows, invoiceRow, setLimit, team } from './workflow-test-helpers.ts';

const t = useTestApp();

const url = (slug: string, id: string, action = '') => `/o/${slug}/invoices/${id}${action ? `/${action}` : ''}`;

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

describe('who may approve and reject', () => {
  it('a viewer, a member and an accountant cannot approve or reject an invoice (403) and nothing changes', async () => {
    const { slug, orgId, vendor, people } = await team(t);
    const inv = await buildInvoice(t, orgId, vendor.id, { status: 'submitted', createdBy: people.member2.id });
    for (const p of [people.viewer, people.member, people.accountant]) {
      assert.equal((await p.agent.post(url(slug, inv.id, 'approve'), {})).statusCode, 403, p.role);
      assert.equal((await p.agent.post(url(slug, inv.id, 'reject'), { reason: 'No' })).statusCode, 403, p.role);
    }
    assert.equal((await invoiceRow(t, inv.id)).status, 'submitted');
    assert.equal((await approvalRows(t, inv.id)).length, 0);
  });

  it('nobody approves or rejects an invoice they submitted (403), and the database refuses such an approval too', async () => {
    const { slug, orgId, vendor, people } = await team(t);
    const inv = await buildInvoice(t, orgId, vendor.id, { status: 'submitted', createdBy: people.approver.id });
    const res = await people.approver.agent.post(url(slug, inv.id, 'approve'), {});
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /You submitted this invoice, so someone else must approve it/);
    assert.equal(
      (await people.approver.agent.post(url(slug, inv.id, 'reject'), { reason: 'Changed my mind' })).statusCode,
      403,
    );
    await assert.rejects(
      withOrg(t.db, orgId, people.approver.id, (tx) =>
        tx
          .insertInto('invoice_approvals')
          .values({ org_id: orgId, invoice_id: inv.id, approver_id: people.approver.id })
          .execute(),
      ),
      /nobody approves an invoice they submitted/,
    );
    assert.equal((await invoiceRow(t, inv.id)).status, 'submitted');
  });

  it('an approver cannot approve above their limit (403 naming the limit); at the limit is fine, other currencies by face value', async () => {
    const { slug, orgId, vendor, people } = await team(t);
    await setLimit(t, orgId, people.approver.id, 500_000);
    const over = await buildInvoice(t, orgId, vendor.id, {
      status: 'submitted',
      amountMinor: 500_001,
      createdBy: people.member.id,
    });
    const res = await people.approver.agent.post(url(slug, over.id, 'approve'), {});
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /This invoice is above your approval limit of €5,000\.00/);
    assert.equal((await approvalRows(t, over.id)).length, 0);
    const yenOver = await buildInvoice(t, orgId, vendor.id, {
      status: 'submitted',
      amountMinor: 5_001,
      currency: 'JPY',
      createdBy: people.member.id,
    });
    assert.equal((await people.approver.agent.post(url(slug, yenOver.id, 'approve'), {})).statusCode, 403);
    const atLimit = await buildInvoice(t, orgId, vendor.id, {
      status: 'submitted',
      amountMinor: 500_000,
      createdBy: people.member.id,
    });
    assert.equal((await people.approver.agent.post(url(slug, atLimit.id, 'approve'), {})).statusCode, 303);
    assert.equal((await invoiceRow(t, atLimit.id)).status, 'approved');
    // Someone without a limit approves the large one.
    assert.equal((await people.admin.agent.post(url(slug, over.id, 'approve'), {})).statusCode, 303);
  });

  it("another org's invoice id answers 404, and so does an id that is not an id", async () => {
    const { orgId, vendor, people } = await team(t);
    const inv = await buildInvoice(t, orgId, vendor.id, { status: 'submitted', createdBy: people.member.id });
    const outsider = await signUp(t.app);
    await outsider.agent.get(`/o/${outsider.slug}`);
    assert.equal((await outsider.agent.get(url(outsider.slug, inv.id))).statusCode, 404);
    for (const [action, body] of [
      ['approve', {}],
      ['reject', { reason: 'x' }],
      ['withdraw', {}],
      ['submit', {}],
      ['comments', { body: 'hi' }],
    ] as const) {
      const res = await outsider.agent.post(url(outsider.slug, inv.id, action), body);
      assert.equal(res.statusCode, 404, action);
      assert.ok(!res.body.includes(inv.number));
    }
    assert.equal((await outsider.agent.get(url(outsider.slug, 'not-an-id'))).statusCode, 404);
    assert.equal((await outsider.agent.post(url(outsider.slug, 'not-an-id', 'approve'), {})).statusCode, 404);
    assert.equal((await invoiceRow(t, inv.id)).status, 'submitted');
    assert.equal(
      (await t.owner.selectFrom('invoice_comments').select('id').where('invoice_id', '=', inv.id).execute()).length,
      0,
    );
  });
});

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
    const audit = await t.owner
      .selectFrom('audit_log')
      .select('action')
      .where('org_id', '=', orgId)
      .where('action', '=', 'invoice.submitted')
      .execute();
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
    const { orgId, vendor, people, orgOf } = await team(t);
    await setLimit(t, orgId, people.approver.id, 100_000);
    const ok = await buildInvoice(t, orgId, vendor.id, {
      status: 'submitted',
      amountMinor: 50_000,
      createdBy: people.member.id,
    });
    const own = await buildInvoice(t, orgId, vendor.id, {
      status: 'submitted',
      amountMinor: 50_000,
      createdBy: people.approver.id,
    });
    const big = await buildInvoice(t, orgId, vendor.id, {
      status: 'submitted',
      amountMinor: 100_001,
      createdBy: people.member.id,
    });
    const unknown = '00000000-0000-4000-8000-000000000000';
    const results = await bulkApprove(t.db, { userId: people.approver.id }, orgOf(people.approver), [
      ok.id,
      own.id,
      big.id,
      ok.id,
    ]);
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
    await assert.rejects(bulkApprove(t.db, { userId: people.member.id }, orgOf(people.member), [big.id]), /permission/);
    // Nothing of a batch naming an unknown invoice is approved.
    await assert.rejects(
      bulkApprove(t.db, { userId: people.approver.id }, orgOf(people.approver), [big.id, unknown]),
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
    await mk({ status: 'approved', amountMinor: 10_000, createdBy: people.member.id });
    await mk({ status: 'draft', amountMinor: 10_000, createdBy: people.member.id });
    const twoStep = await mk({
      status: 'submitted',
      amountMinor: 20_000,
      createdBy: people.member.id,
      approvalsRequired: 2,
    });
    await t.owner
      .insertInto('invoice_approvals')
      .values({ org_id: orgId, invoice_id: twoStep.id, approver_id: people.approver.id })
      .execute();

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
              amount: { minor: inv.amount_minor, minorUnits, currency: inv.currency },
              approvedBy,
            },
          });
          if (!blocker) expected.push(inv.id);
        }
        assert.deepEqual(bySql.map((r) => r.id).sort(), expected.sort(), p.role);
        if (p === people.approver) assert.equal(expected.length, 3);
        if (p === people.admin) assert.equal(expected.length, 7);
        if (p.role === 'member' || p.role === 'viewer') assert.equal(expected.length, 0);
      });
    }
  });
});

describe('withdrawing and rejecting', () => {
  it('only the submitter withdraws (403 for anyone else); withdrawing removes the approvals collected', async () => {
    const { slug, orgId, vendor, people } = await team(t);
    const inv = await buildInvoice(t, orgId, vendor.id, { amountMinor: 2_000_000, createdBy: people.member.id });
    assert.equal((await people.member.agent.post(url(slug, inv.id, 'submit'), {})).statusCode, 303);
    assert.equal((await people.approver.agent.post(url(slug, inv.id, 'approve'), {})).statusCode, 303);
    for (const p of [people.member2, people.owner, people.approver]) {
      const res = await p.agent.post(url(slug, inv.id, 'withdraw'), {});
      assert.equal(res.statusCode, 403, p.role);
      assert.match(res.body, /Only Member Person, who submitted this invoice, can withdraw it/);
    }
    assert.equal((await people.viewer.agent.post(url(slug, inv.id, 'withdraw'), {})).statusCode, 403);
    const res = await people.member.agent.post(url(slug, inv.id, 'withdraw'), {});
    assert.equal(res.statusCode, 303);
    const row = await invoiceRow(t, inv.id);
    assert.equal(row.status, 'draft');
    assert.equal(row.submitted_by, null);
    assert.equal((await approvalRows(t, inv.id)).length, 0);
    const last = (await historyRows(t, inv.id)).at(-1)!;
    assert.deepEqual([last.from_status, last.to_status, last.actor_id], ['submitted', 'draft', people.member.id]);
    assert.match(last.note ?? '', /1 approval removed/);
    // A draft cannot be withdrawn again.
    assert.equal((await people.member.agent.post(url(slug, inv.id, 'withdraw'), {})).statusCode, 409);
  });

  it('a rejection needs a reason (422 next to the field, at most 1,000 characters) and records it', async () => {
    const { slug, orgId, vendor, people } = await team(t);
    const inv = await buildInvoice(t, orgId, vendor.id, { status: 'submitted', createdBy: people.member.id });
    const empty = await people.approver.agent.post(url(slug, inv.id, 'reject'), { reason: '   ' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /class="field-error" id="f-reason-error"/);
    assert.match(empty.body, /Say why the invoice is rejected/);
    assert.equal((await people.approver.agent.post(url(slug, inv.id, 'reject'), {})).statusCode, 422);
    const long = await people.approver.agent.post(url(slug, inv.id, 'reject'), { reason: 'x'.repeat(1001) });
    assert.equal(long.statusCode, 422);
    assert.equal((await invoiceRow(t, inv.id)).status, 'submitted');

    const res = await people.approver.agent.post(url(slug, inv.id, 'reject'), { reason: '  Duplicate of INV-7  ' });
    assert.equal(res.statusCode, 303);
    const row = await invoiceRow(t, inv.id);
    assert.equal(row.status, 'rejected');
    assert.equal(row.rejection_reason, 'Duplicate of INV-7');
    assert.ok(row.decided_at);
    const last = (await historyRows(t, inv.id)).at(-1)!;
    assert.deepEqual(
      [last.to_status, last.note, last.actor_id],
      ['rejected', 'Duplicate of INV-7', people.approver.id],
    );
    const page = await people.member.agent.get(url(slug, inv.id));
    assert.match(page.body, /Duplicate of INV-7/);
    const again = await people.admin.agent.post(url(slug, inv.id, 'reject'), { reason: 'Also no' });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /Approver Person rejected this invoice a moment ago/);
  });
});

describe('comments', () => {
  it('a comment is 1–4,000 characters, audited, and shown in the timeline; a viewer cannot comment', async () => {
    const { slug, orgId, vendor, people } = await team(t);
    const inv = await buildInvoice(t, orgId, vendor.id, { status: 'submitted', createdBy: people.member.id });
    assert.equal((await people.viewer.agent.post(url(slug, inv.id, 'comments'), { body: 'Hello' })).statusCode, 403);
    const empty = await people.member.agent.post(url(slug, inv.id, 'comments'), { body: ' ' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Write a comment first/);
    assert.equal(
      (await people.member.agent.post(url(slug, inv.id, 'comments'), { body: 'y'.repeat(4001) })).statusCode,
      422,
    );
    const res = await people.member.agent.post(url(slug, inv.id, 'comments'), {
      body: 'The PO number is <b>PO-42</b>',
    });
    assert.equal(res.statusCode, 303);
    const page = await people.viewer.agent.get(url(slug, inv.id));
    assert.match(page.body, /The PO number is &lt;b>PO-42&lt;\/b>/);
    assert.ok(!page.body.includes(`action="${url(slug, inv.id, 'comments')}"`), 'no comment form for a viewer');
    const audit = await t.owner.selectFrom('audit_log').select('action').where('target_id', '=', inv.id).execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['invoice.commented'],
    );
  });
});

describe('the invoice detail page', () => {
  it('shows the invoice and only the actions the viewer may use in its state', async () => {
    const { slug, orgId, vendor, people } = await team(t);
    const draft = await buildInvoice(t, orgId, vendor.id, {
      createdBy: people.member.id,
      dueDate: '2020-02-01',
      issueDate: '2020-01-01',
      amountMinor: 1_234_567,
      description: 'Licences for Q1',
    });
    let page = await people.member.agent.get(url(slug, draft.id));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /€12,345\.67/);
    assert.match(page.body, /Acme Supplies/);
    assert.ok(page.body.includes(`href="/o/${slug}/vendors/${vendor.id}"`));
    assert.match(page.body, /overdue/);
    assert.match(page.body, /Licences for Q1/);
    assert.ok(page.body.includes(`href="${url(slug, draft.id, 'edit')}"`));
    assert.ok(page.body.includes(`action="${url(slug, draft.id, 'submit')}"`));
    assert.ok(!page.body.includes(`action="${url(slug, draft.id, 'approve')}"`));
    page = await people.viewer.agent.get(url(slug, draft.id));
    assert.ok(!page.body.includes(`action="${url(slug, draft.id)}/`), 'a viewer sees no invoice forms');

    const sub = await buildInvoice(t, orgId, vendor.id, { status: 'submitted', createdBy: people.member.id });
    page = await people.member.agent.get(url(slug, sub.id));
    assert.ok(page.body.includes(`action="${url(slug, sub.id, 'withdraw')}"`));
    assert.ok(!page.body.includes(`action="${url(slug, sub.id, 'approve')}"`));
    assert.ok(!page.body.includes(`action="${url(slug, sub.id, 'reject')}"`));
    assert.match(page.body, /0 of 1 approvals/);
    page = await people.approver.agent.get(url(slug, sub.id));
    assert.ok(page.body.includes(`action="${url(slug, sub.id, 'approve')}"`));
    assert.ok(page.body.includes(`action="${url(slug, sub.id, 'reject')}"`));
    assert.ok(!page.body.includes(`action="${url(slug, sub.id, 'withdraw')}"`));
    assert.ok(!page.body.includes(`href="${url(slug, sub.id, 'edit')}"`));

    await setLimit(t, orgId, people.approver2.id, 100);
    page = await people.approver2.agent.get(url(slug, sub.id));
    assert.ok(!page.body.includes(`action="${url(slug, sub.id, 'approve')}"`));
    assert.match(page.body, /above your approval limit of €1\.00/);

    const payout = await t.owner
      .insertInto('payouts')
      .values({ org_id: orgId, reference: 'PO-2026-77', currency: 'EUR' })
      .returningAll()
      .executeTakeFirstOrThrow();
    const scheduled = await buildInvoice(t, orgId, vendor.id, {
      status: 'scheduled',
      payoutId: payout.id,
      createdBy: people.member.id,
    });
    await t.owner
      .updateTable('invoices')
      .set({ attachment_key: 'k/1', attachment_name: 'invoice.pdf', attachment_size: 20480 })
      .where('id', '=', draft.id)
      .execute();
    page = await people.viewer.agent.get(url(slug, scheduled.id));
    assert.ok(page.body.includes(`href="/o/${slug}/payouts/${payout.id}"`));
    assert.match(page.body, /PO-2026-77/);
    page = await people.viewer.agent.get(url(slug, draft.id));
    assert.ok(page.body.includes(`href="${url(slug, draft.id, 'attachment')}"`));
    assert.match(page.body, /invoice\.pdf/);
  });

  it('the history merges status changes and comments in order, newest last', async () => {
    const { slug, orgId, vendor, people } = await team(t);
    const inv = await buildInvoice(t, orgId, vendor.id, { createdBy: people.member.id });
    await people.member.agent.post(url(slug, inv.id, 'comments'), { body: 'First note' });
    await people.member.agent.post(url(slug, inv.id, 'submit'), {});
    await people.approver.agent.post(url(slug, inv.id, 'comments'), { body: 'Checked the PO' });
    await people.approver.agent.post(url(slug, inv.id, 'approve'), {});
    const page = (await people.viewer.agent.get(url(slug, inv.id))).body;
    const order = ['First note', 'submitted it for approval', 'Checked the PO', 'approved it'].map((s) =>
      page.indexOf(s),
    );
    assert.ok(
      order.every((i) => i > 0),
      JSON.stringify(order),
    );
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
    );
  });

  it('a vendor of another org never shows (sanity: the detail query is scoped)', async () => {
    const { slug, people } = await team(t);
    const other = await signUp(t.app);
    const otherOrg = (
      await t.owner.selectFrom('organizations').select('id').where('slug', '=', other.slug).executeTakeFirstOrThrow()
    ).id;
    const v = await buildVendor(t, otherOrg, { name: 'Foreign Vendor' });
    const foreign = await buildInvoice(t, otherOrg, v.id, { status: 'submitted' });
    const res = await people.admin.agent.get(url(slug, foreign.id));
    assert.equal(res.statusCode, 404);
    assert.ok(!res.body.includes('Foreign Vendor'));
    assert.equal((await people.admin.agent.post(url(slug, foreign.id, 'approve'), {})).statusCode, 404);
    assert.equal((await invoiceRow(t, foreign.id)).status, 'submitted');
  });
});
