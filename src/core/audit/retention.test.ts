// Retention of the audit log (audit_log_apply_retention, migration 0015): whole old months are
// removed from the start of a chain, the chain stays verifiable from its new first entry, the
// removal is recorded, and at least a year is always kept.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { withOrg } from '../db/tenancy.ts';
import { useTestApp } from '../../testing/harness.ts';
import { HOUSEKEEPING_AUDIT } from '../tasks/housekeeping.ts';
import { recordAudit, SYSTEM_ACTOR } from './audit.ts';
import { AUDIT_LOG_AUDIT } from './retention.ts';
import { verifyAuditLog } from './verify.ts';

const t = useTestApp();

async function newOrg(): Promise<{ id: string; slug: string }> {
  const slug = `keep-${randomBytes(4).toString('hex')}`;
  const row = await t.owner
    .insertInto('organizations')
    .values({ name: slug, slug })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, slug };
}

function entry(orgId: string, n: number) {
  return withOrg(t.db, orgId, null, (tx) =>
    recordAudit(tx, { orgId, actor: SYSTEM_ACTOR, action: HOUSEKEEPING_AUDIT.deleted, changes: { n } }),
  );
}

function chainOf(orgId: string) {
  return t.owner
    .selectFrom('audit_log')
    .select(['id', 'chain_seq', 'prev_hash', 'hash', 'created_at'])
    .where('org_id', '=', orgId)
    .orderBy('chain_seq')
    .execute();
}

describe('retention', () => {
  it('removes whole months older than the age from the start of each chain; the rest still verifies', async () => {
    const org = await newOrg();
    // Old entries (written back-dated, as a restored archive would be), then recent ones.
    for (let n = 1; n <= 3; n++)
      await withOrg(t.db, org.id, null, (tx) =>
        tx
          .insertInto('audit_log')
          .values({ org_id: org.id, action: 'test.old', created_at: sql<Date>`now() - interval '3 years'` })
          .execute(),
      );
    for (let n = 4; n <= 5; n++) await entry(org.id, n);
    const before = await chainOf(org.id);
    await assert.rejects(
      sql`select audit_log_apply_retention(interval '30 days')`.execute(t.db),
      /keeps at least a year/,
    );
    const removed = await sql<{ n: string }>`
      select audit_log_apply_retention(interval '2 years', ${org.id}::uuid) as n`.execute(t.db);
    assert.equal(removed.rows[0]!.n, '3');
    const after = await chainOf(org.id);
    assert.deepEqual(
      after.map((r) => r.chain_seq),
      ['4', '5', '6'],
    );
    const record = await t.owner
      .selectFrom('audit_log_retention')
      .selectAll()
      .where('chain', '=', org.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual([record.from_seq, record.to_seq, record.removed], ['1', '3', '3']);
    assert.deepEqual(record.anchor_hash, before[2]!.hash, 'the anchor is the removed segment’s last hash');
    const applied = await t.owner
      .selectFrom('audit_log')
      .selectAll()
      .where('org_id', '=', org.id)
      .where('action', '=', AUDIT_LOG_AUDIT.retention_applied)
      .executeTakeFirstOrThrow();
    assert.equal(applied.chain_seq, '6', 'the removal is recorded at the end of the chain it shortened');
    assert.deepEqual(
      { ...(applied.changes as Record<string, unknown>), cutoff: 'start of a month, 2 years ago' },
      {
        removed: 3,
        from_seq: 1,
        to_seq: 3,
        older_than: '2 years',
        cutoff: 'start of a month, 2 years ago',
        anchor_hash: before[2]!.hash.toString('hex'),
      },
    );
    assert.match(String((applied.changes as Record<string, unknown>).cutoff), /^\d{4}-\d\d-01T00:00:00Z$/);
    assert.equal((await verifyAuditLog(t.db, { orgSlug: org.slug })).ok, true);
    // Nothing else may go: the permit was that transaction's.
    await assert.rejects(t.owner.deleteFrom('audit_log').where('org_id', '=', org.id).execute(), /append-only/);
    const again = await sql<{ n: string }>`
      select audit_log_apply_retention(interval '2 years', ${org.id}::uuid) as n`.execute(t.db);
    assert.equal(again.rows[0]!.n, '0', 'a second run finds nothing more to remove');
  });

  it('a chain whose every entry is old is emptied, and the removal entry starts it again from the anchor', async () => {
    const org = await newOrg();
    await withOrg(t.db, org.id, null, (tx) =>
      tx
        .insertInto('audit_log')
        .values({ org_id: org.id, action: 'test.old', created_at: sql<Date>`now() - interval '5 years'` })
        .execute(),
    );
    await sql`select audit_log_apply_retention(interval '1 year', ${org.id}::uuid)`.execute(t.db);
    const after = await chainOf(org.id);
    assert.deepEqual(
      after.map((r) => r.chain_seq),
      ['2'],
    );
    assert.equal((await verifyAuditLog(t.db, { orgSlug: org.slug })).ok, true);
  });
});
