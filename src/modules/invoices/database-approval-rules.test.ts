// Who may approve an invoice, how many approvals it needs and within which limit hold in the
// database itself (migration 0014): each forbidden move is tried as the runtime role, with raw
// SQL inside the org's transaction (row-level security on), and refused by PostgreSQL.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { withOrg } from '../../core/db/tenancy.ts';
import { useTestApp, waitingForLock } from '../../testing/harness.ts';
import { buildInvoice } from '../../testing/factories.ts';
import { approvalRows, invoiceRow, setLimit, submittedInvoice, team, url } from './workflow-test-helpers.ts';

const t = useTestApp();

type Team = Awaited<ReturnType<typeof team>>;

/** Raw SQL as the runtime role, in `userId`'s transaction in the org. */
function asRuntime(tm: Team, userId: string, query: ReturnType<typeof sql>) {
  return withOrg(t.db, tm.orgId, userId, (tx) => query.execute(tx));
}

/** An approval row as the app writes it: the approver's current limit and the org's currency recorded. */
function approve(tm: Team, approverId: string, invoiceId: string) {
  return asRuntime(
    tm,
    approverId,
    sql`insert into invoice_approvals (org_id, invoice_id, approver_id, approval_limit_minor, approval_limit_currency)
        select m.org_id, ${invoiceId}::uuid, m.user_id, m.approval_limit_minor, o.default_currency
          from memberships m join organizations o on o.id = m.org_id
         where m.org_id = ${tm.orgId}::uuid and m.user_id = ${approverId}::uuid`,
  );
}

function setApproved(tm: Team, userId: string, invoiceId: string) {
  return asRuntime(
    tm,
    userId,
    sql`update invoices set status = 'approved', decided_at = now() where id = ${invoiceId}::uuid`,
  );
}

/** The database's refusal: a check violation naming `constraint`. */
function refusedBy(constraint: string) {
  return (err: unknown) => {
    const e = err as { code?: string; constraint?: string };
    assert.equal(e.code, '23514', String(err));
    assert.equal(e.constraint, constraint, String(err));
    return true;
  };
}

describe('approval rules in the database, as the runtime role', () => {
  it('an invoice that needs two approvals is not set to approved with none or one recorded; with two it is', async () => {
    const tm = await team(t);
    const { people } = tm;
    const inv = await buildInvoice(t, tm.orgId, tm.vendor.id, {
      status: 'submitted',
      createdBy: people.member.id,
      approvalsRequired: 2,
    });
    await assert.rejects(setApproved(tm, people.approver.id, inv.id), refusedBy('invoices_approvals_required'));
    await approve(tm, people.approver.id, inv.id);
    await assert.rejects(setApproved(tm, people.approver.id, inv.id), refusedBy('invoices_approvals_required'));
    assert.equal((await invoiceRow(t, inv.id)).status, 'submitted');
    await approve(tm, people.admin.id, inv.id);
    await setApproved(tm, people.admin.id, inv.id);
    assert.equal((await invoiceRow(t, inv.id)).status, 'approved');
  });

  it('a one-approval invoice is not set to approved with no approval', async () => {
    const tm = await team(t);
    const inv = await submittedInvoice(t, tm, 10_000);
    await assert.rejects(setApproved(tm, tm.people.approver.id, inv.id), refusedBy('invoices_approvals_required'));
    assert.equal((await invoiceRow(t, inv.id)).status, 'submitted');
  });

  it('the same person approving twice does not count twice', async () => {
    const tm = await team(t);
    const { people } = tm;
    const inv = await buildInvoice(t, tm.orgId, tm.vendor.id, {
      status: 'submitted',
      createdBy: people.member.id,
      approvalsRequired: 2,
    });
    await approve(tm, people.approver.id, inv.id);
    await assert.rejects(approve(tm, people.approver.id, inv.id), (err: { code?: string }) => err.code === '23505');
    assert.equal((await approvalRows(t, inv.id)).length, 1);
    await assert.rejects(setApproved(tm, people.approver.id, inv.id), refusedBy('invoices_approvals_required'));
  });

  it('the submitter cannot approve it', async () => {
    const tm = await team(t);
    const { people } = tm;
    const inv = await buildInvoice(t, tm.orgId, tm.vendor.id, {
      status: 'submitted',
      createdBy: people.member.id,
      submittedBy: people.approver.id,
    });
    await assert.rejects(approve(tm, people.approver.id, inv.id), refusedBy('invoice_approvals_not_submitter'));
    assert.equal((await approvalRows(t, inv.id)).length, 0);
  });

  it('the creator cannot approve it, though someone else pressed submit', async () => {
    const tm = await team(t);
    const { people } = tm;
    const inv = await buildInvoice(t, tm.orgId, tm.vendor.id, {
      status: 'submitted',
      createdBy: people.approver.id,
      submittedBy: people.member.id,
    });
    await assert.rejects(approve(tm, people.approver.id, inv.id), refusedBy('invoice_approvals_not_creator'));
    assert.equal((await approvalRows(t, inv.id)).length, 0);
    await assert.rejects(setApproved(tm, people.approver.id, inv.id), refusedBy('invoices_approvals_required'));
  });

  it('an approval above the approver’s limit is refused; at the limit, and by face value in another currency, it is recorded with the limit', async () => {
    const tm = await team(t);
    const { people } = tm;
    await setLimit(t, tm.orgId, people.approver.id, 500_000);
    const over = await submittedInvoice(t, tm, 500_001);
    await assert.rejects(approve(tm, people.approver.id, over.id), refusedBy('invoice_approvals_within_limit'));
    const yenOver = await submittedInvoice(t, tm, 5_001, { currency: 'JPY' });
    await assert.rejects(approve(tm, people.approver.id, yenOver.id), refusedBy('invoice_approvals_within_limit'));
    const atLimit = await submittedInvoice(t, tm, 500_000);
    await approve(tm, people.approver.id, atLimit.id);
    const [row] = await approvalRows(t, atLimit.id);
    assert.equal(row!.approval_limit_minor, '500000');
    assert.equal(row!.approval_limit_currency, 'EUR');
  });

  it('an approval must record the limit it was checked against: claiming none, or another, is refused', async () => {
    const tm = await team(t);
    const { people } = tm;
    await setLimit(t, tm.orgId, people.approver.id, 500_000);
    const inv = await submittedInvoice(t, tm, 10_000);
    const insert = (limit: string | null, currency: string | null) =>
      asRuntime(
        tm,
        people.approver.id,
        sql`insert into invoice_approvals (org_id, invoice_id, approver_id, approval_limit_minor, approval_limit_currency)
            values (${tm.orgId}::uuid, ${inv.id}::uuid, ${people.approver.id}::uuid, ${limit}::bigint, ${currency})`,
      );
    await assert.rejects(insert(null, null), refusedBy('invoice_approvals_limit_recorded'));
    await assert.rejects(insert('99999999', 'EUR'), refusedBy('invoice_approvals_limit_recorded'));
    await assert.rejects(insert('500000', 'JPY'), refusedBy('invoice_approvals_limit_recorded'));
    await assert.rejects(
      asRuntime(
        tm,
        people.approver.id,
        sql`insert into invoice_approvals (org_id, invoice_id, approver_id) values (${tm.orgId}::uuid, ${inv.id}::uuid, ${people.approver.id}::uuid)`,
      ),
      refusedBy('invoice_approvals_limit_recorded'),
    );
    assert.equal((await approvalRows(t, inv.id)).length, 0);
  });

  it('only owners, admins and approvers give approvals', async () => {
    const tm = await team(t);
    const inv = await submittedInvoice(t, tm, 10_000);
    for (const p of [tm.people.accountant, tm.people.member2])
      await assert.rejects(approve(tm, p.id, inv.id), refusedBy('invoice_approvals_approver_role'), p.role);
    assert.equal((await approvalRows(t, inv.id)).length, 0);
  });

  it('a submitted invoice keeps the approvals it needs, its creator and its submitter', async () => {
    const tm = await team(t);
    const { people } = tm;
    const inv = await buildInvoice(t, tm.orgId, tm.vendor.id, {
      status: 'submitted',
      createdBy: people.member.id,
      approvalsRequired: 2,
    });
    const who = people.approver.id;
    for (const change of [
      sql`update invoices set approvals_required = 1 where id = ${inv.id}::uuid`,
      sql`update invoices set created_by = ${people.member2.id}::uuid where id = ${inv.id}::uuid`,
      sql`update invoices set submitted_by = ${people.member2.id}::uuid where id = ${inv.id}::uuid`,
    ])
      await assert.rejects(asRuntime(tm, who, change), refusedBy('invoices_approval_facts_frozen'));
    assert.equal((await invoiceRow(t, inv.id)).approvals_required, 2);
  });
});

describe('the app tells the database’s refusal in words', () => {
  it('a limit lowered while an approval waits for the invoice: 409 with a message, nothing recorded', async () => {
    const tm = await team(t);
    const { slug, people } = tm;
    await setLimit(t, tm.orgId, people.approver.id, 100_000);
    const inv = await submittedInvoice(t, tm, 80_000);
    // Hold the invoice's row lock, so the approval reads the approver's limit and then waits.
    const holder = await t.ownerPool.connect();
    try {
      const holderPid = (await holder.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      await holder.query('begin');
      await holder.query('select 1 from invoices where id = $1 for update', [inv.id]);
      await people.approver.agent.get(url(slug, inv.id));
      const pending = people.approver.agent.post(url(slug, inv.id, 'approve'), {});
      await waitingForLock(t, holderPid, 'the approval waiting for the invoice lock');
      await setLimit(t, tm.orgId, people.approver.id, 50_000);
      await holder.query('commit');
      const res = await pending;
      assert.equal(res.statusCode, 409);
      assert.match(res.body, /Your approval limit changed a moment ago/);
    } finally {
      holder.release(true);
    }
    assert.equal((await approvalRows(t, inv.id)).length, 0);
    assert.equal((await invoiceRow(t, inv.id)).status, 'submitted');
  });

  it('the app refuses an approver approving an invoice they created, though someone else submitted it (403)', async () => {
    const tm = await team(t);
    const { slug, people } = tm;
    const inv = await buildInvoice(t, tm.orgId, tm.vendor.id, {
      status: 'submitted',
      createdBy: people.approver.id,
      submittedBy: people.member.id,
    });
    const page = await people.approver.agent.get(url(slug, inv.id));
    assert.ok(!page.body.includes(`action="${url(slug, inv.id, 'approve')}"`));
    assert.match(page.body, /You created this invoice, so someone else must approve it/);
    const res = await people.approver.agent.post(url(slug, inv.id, 'approve'), {});
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /You created this invoice, so someone else must approve it/);
    assert.equal((await approvalRows(t, inv.id)).length, 0);
    assert.equal((await people.admin.agent.post(url(slug, inv.id, 'approve'), {})).statusCode, 303);
    assert.equal((await invoiceRow(t, inv.id)).status, 'approved');
  });
});
