// The hash chain under concurrency: inserts into one org take turns on the chain's head row (so
// the chain never forks), inserts into two orgs never wait on each other.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { withOrg } from '../db/tenancy.ts';
import { useTestApp } from '../../testing/harness.ts';
import { HOUSEKEEPING_AUDIT } from '../tasks/housekeeping.ts';
import { recordAudit, SYSTEM_ACTOR } from './audit.ts';
import { verifyAuditLog } from './verify.ts';

const t = useTestApp();

async function newOrg(): Promise<{ id: string; slug: string }> {
  const slug = `race-${randomBytes(4).toString('hex')}`;
  const row = await t.owner
    .insertInto('organizations')
    .values({ name: slug, slug })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, slug };
}

const write = (orgId: string, n: number) => (tx: Parameters<Parameters<typeof withOrg>[3]>[0]) =>
  recordAudit(tx, {
    orgId,
    actor: SYSTEM_ACTOR,
    action: HOUSEKEEPING_AUDIT.deleted,
    changes: { n },
  });

describe('the hash chain under concurrency', () => {
  it('many transactions writing into one org at once take turns: one chain, no fork, verify passes', async () => {
    const a = await newOrg();
    const b = await newOrg();
    const N = 60;
    await Promise.all([
      ...Array.from({ length: N }, (_, n) =>
        withOrg(t.db, a.id, null, async (tx) => {
          await write(a.id, n)(tx);
          // Hold the transaction open a little after the insert, so the others pile up on the head.
          await sql`select pg_sleep(0.005)`.execute(tx);
        }),
      ),
      ...Array.from({ length: 20 }, (_, n) => withOrg(t.db, b.id, null, write(b.id, n))),
    ]);
    const seqs = await t.owner
      .selectFrom('audit_log')
      .select('chain_seq')
      .where('org_id', '=', a.id)
      .orderBy('chain_seq')
      .execute();
    assert.deepEqual(
      seqs.map((r) => Number(r.chain_seq)),
      Array.from({ length: N }, (_, i) => i + 1),
    );
    for (const org of [a, b]) {
      const v = await verifyAuditLog(t.db, { orgSlug: org.slug });
      assert.equal(v.ok, true, JSON.stringify(v.breaks));
    }
  });

  it('an open transaction holds its org’s chain until it ends: the same org waits, another org does not', async () => {
    const a = await newOrg();
    const b = await newOrg();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const wrote = new Promise<void>((r) => (inserted = r));
    const holder = withOrg(t.db, a.id, null, async (tx) => {
      await write(a.id, 1)(tx);
      inserted();
      await held;
    });
    await wrote;
    try {
      const started = Date.now();
      await withOrg(t.db, b.id, null, async (tx) => {
        await sql`set local lock_timeout = '5s'`.execute(tx);
        await write(b.id, 1)(tx);
      });
      assert.ok(Date.now() - started < 1000, 'another org’s insert does not wait');
      await assert.rejects(
        withOrg(t.db, a.id, null, async (tx) => {
          await sql`set local lock_timeout = '300ms'`.execute(tx);
          await write(a.id, 2)(tx);
        }),
        /lock timeout/,
      );
    } finally {
      release();
      await holder;
    }
    assert.equal((await verifyAuditLog(t.db, { orgSlug: a.slug })).ok, true);
  });
});
