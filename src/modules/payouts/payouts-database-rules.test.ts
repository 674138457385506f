// Who may approve a payout and how many approvals it needs hold in the database itself
// (migration 0014): each forbidden move is tried as the runtime role, with raw SQL inside the
// org's transaction (row-level security on), and refused by PostgreSQL.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { withOrg } from '../../core/db/tenancy.ts';
import { useTestApp, waitingForLock } from '../../testing/harness.ts';
import { buildOrg, type BuiltOrg } from '../../testing/factories.ts';
import { PAYOUT_TEAM, act, createPayout, payoutIdFrom, payoutHelpers } from './test-helpers.ts';

const t = useTestApp();

const { payout, payoutState, approvedInvoices } = payoutHelpers(t);

type Team = BuiltOrg<(typeof PAYOUT_TEAM)['roles'][number]>;

function asRuntime(tm: Team, userId: string, query: ReturnType<typeof sql>) {
  return withOrg(t.db, tm.orgId, userId, (tx) => query.execute(tx));
}

/** A pending payout the accountant created, as raw SQL writes one. */
async function pendingPayout(tm: Team, approvalsRequired = 1): Promise<string> {
  const r = await asRuntime(
    tm,
    tm.people.accountant.id,
    sql`insert into payouts (org_id, reference, currency, approvals_required, created_by)
        values (${tm.orgId}::uuid, ${`PO-RAW-${Math.floor(Math.random() * 1e9)}`}, 'EUR', ${approvalsRequired}, ${tm.people.accountant.id}::uuid)
        returning id`,
  );
  return (r.rows[0] as { id: string }).id;
}

const approve = (tm: Team, approverId: string, payoutId: string) =>
  asRuntime(
    tm,
    approverId,
    sql`insert into payout_approvals (org_id, payout_id, approver_id) values (${tm.orgId}::uuid, ${payoutId}::uuid, ${approverId}::uuid)`,
  );

const setApproved = (tm: Team, userId: string, payoutId: string) =>
  asRuntime(tm, userId, sql`update payouts set status = 'approved', approved_at = now() where id = ${payoutId}::uuid`);

function refusedBy(constraint: string) {
  return (err: unknown) => {
    const e = err as { code?: string; constraint?: string };
    assert.equal(e.code, '23514', String(err));
    assert.equal(e.constraint, constraint, String(err));
    return true;
  };
}

describe('payout approval rules in the database, as the runtime role', () => {
  it('a pending payout with no approvals is not set to approved; with one from someone else it is', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const id = await pendingPayout(tm);
    await assert.rejects(setApproved(tm, tm.people.approver.id, id), refusedBy('payouts_approvals_required'));
    assert.equal((await payout(id)).status, 'pending');
    await approve(tm, tm.people.approver.id, id);
    await setApproved(tm, tm.people.approver.id, id);
    assert.equal((await payout(id)).status, 'approved');
  });

  it('a payout that needs two approvals is not approved with one, nor with the same person twice', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const id = await pendingPayout(tm, 2);
    await approve(tm, tm.people.approver.id, id);
    await assert.rejects(approve(tm, tm.people.approver.id, id), (err: { code?: string }) => err.code === '23505');
    await assert.rejects(setApproved(tm, tm.people.approver.id, id), refusedBy('payouts_approvals_required'));
    await approve(tm, tm.people.approver2.id, id);
    await setApproved(tm, tm.people.approver2.id, id);
    assert.equal((await payout(id)).status, 'approved');
  });

  it('its creator, and a role that does not approve, cannot approve it', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const id = await pendingPayout(tm);
    await assert.rejects(
      approve(tm, tm.people.accountant.id, id),
      // The accountant is both: the creator rule speaks first.
      refusedBy('payout_approvals_not_creator'),
    );
    for (const p of [tm.people.accountant2, tm.people.member, tm.people.viewer])
      await assert.rejects(approve(tm, p.id, id), refusedBy('payout_approvals_approver_role'), p.role);
    assert.deepEqual((await payoutState(id)).approvals, []);
  });

  it('a payout keeps the approvals it needs and its creator', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const id = await pendingPayout(tm, 2);
    const who = tm.people.accountant.id;
    await assert.rejects(
      asRuntime(tm, who, sql`update payouts set approvals_required = 1 where id = ${id}::uuid`),
      refusedBy('payouts_approval_facts_frozen'),
    );
    await assert.rejects(
      asRuntime(tm, who, sql`update payouts set created_by = ${tm.people.accountant2.id}::uuid where id = ${id}::uuid`),
      refusedBy('payouts_approval_facts_frozen'),
    );
    assert.equal((await payout(id)).approvals_required, 2);
  });
});

describe('the app tells the database’s refusal of a payout approval in words', () => {
  it('an approver demoted while their approval waits for the payout: 403 with a message, nothing recorded', async () => {
    const tm = await buildOrg(t, PAYOUT_TEAM);
    const { ids } = await approvedInvoices(tm.orgId, 1);
    const id = payoutIdFrom(await createPayout(tm.people.accountant.agent, tm.slug, 'EUR', ids));
    await tm.people.approver.agent.get(`/o/${tm.slug}/payouts`);
    // Hold the payout's row lock, so the approval reads the approver's role and then waits.
    const holder = await t.ownerPool.connect();
    try {
      const holderPid = (await holder.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      await holder.query('begin');
      await holder.query('select 1 from payouts where id = $1 for update', [id]);
      const pending = tm.people.approver.agent.post(`/o/${tm.slug}/payouts/${id}/approve`, {});
      await waitingForLock(t, holderPid, 'the approval waiting for the payout lock');
      await t.owner
        .updateTable('memberships')
        .set({ role: 'member' })
        .where('org_id', '=', tm.orgId)
        .where('user_id', '=', tm.people.approver.id)
        .execute();
      await holder.query('commit');
      const res = await pending;
      assert.equal(res.statusCode, 403);
      assert.match(res.body, /Only owners, admins and approvers approve payouts/);
    } finally {
      holder.release(true);
    }
    assert.deepEqual((await payoutState(id)).approvals, []);
    assert.equal((await payout(id)).status, 'pending');
    // Someone who still approves can.
    assert.equal((await act(tm.people.approver2.agent, tm.slug, id, 'approve')).statusCode, 303);
  });
});
