// The nightly work on the audit log: the verification task keeps its verdict and staff see the
// latest on /staff/operations (a broken chain first, in red); the retention cleanup does nothing
// unless AUDIT_RETENTION_DAYS is set, which may not be under a year.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { loadSettings } from '../config/settings.ts';
import { withCredentials } from '../db/pool.ts';
import { withOrg } from '../db/tenancy.ts';
import type { TaskContext } from '../tasks/tasks.ts';
import { HOUSEKEEPING_AUDIT } from '../tasks/housekeeping.ts';
import { testSettings, useTestApp } from '../../testing/harness.ts';
import { staffPerson } from '../../testing/staff.ts';
import { platformModule } from '../platform.ts';
import { recordAudit, SYSTEM_ACTOR } from './audit.ts';
import { AUDIT_RETENTION } from './retention.ts';
import { verifyAuditChains } from './verify-task.ts';

const t = useTestApp({}, { tampersWithAuditLog: true });

function ctx(settings = t.services.settings): TaskContext {
  return {
    ...t.services,
    settings,
    runId: 'n/a',
    orgId: null,
    attempt: 1,
    maxAttempts: 3,
    db: t.db,
    progress: async () => undefined,
    transaction: () => Promise.reject(new Error('unused')),
  };
}

async function orgWithEntries(n: number, oldOnes = 0): Promise<{ id: string; slug: string }> {
  const slug = `nightly-${randomBytes(4).toString('hex')}`;
  const { id } = await t.owner
    .insertInto('organizations')
    .values({ name: slug, slug })
    .returning('id')
    .executeTakeFirstOrThrow();
  await withOrg(t.db, id, null, async (tx) => {
    for (let i = 0; i < oldOnes; i++)
      await tx
        .insertInto('audit_log')
        .values({ org_id: id, action: 'test.old', created_at: sql<Date>`now() - interval '4 years'` })
        .execute();
    for (let i = 0; i < n; i++)
      await recordAudit(tx, { orgId: id, actor: SYSTEM_ACTOR, action: HOUSEKEEPING_AUDIT.deleted, changes: { i } });
  });
  return { id, slug };
}

describe('the nightly verification and retention', () => {
  it('are scheduled: retention among the 03:xx cleanups, the verification after them', () => {
    const schedules = [...platformModule.schedules, ...platformModule.cleanups.map((c) => c.schedule)];
    const byTask = new Map(schedules.map((s) => [s.task.name, s.cron]));
    assert.equal(byTask.get('audit.verify_chains'), '0 4 * * *');
    assert.equal(byTask.get('housekeeping.apply_audit_retention'), '25 3 * * *');
  });

  it('AUDIT_RETENTION_DAYS is unset by default (kept for ever) and may not be under 365', () => {
    assert.equal(loadSettings({ NODE_ENV: 'test' }).auditRetentionDays, null);
    assert.equal(loadSettings({ NODE_ENV: 'test', AUDIT_RETENTION_DAYS: '2555' }).auditRetentionDays, 2555);
    assert.throws(() => loadSettings({ NODE_ENV: 'test', AUDIT_RETENTION_DAYS: '30' }), /AUDIT_RETENTION_DAYS/);
  });

  it('the retention cleanup removes nothing while the setting is unset, and old months once it is set', async () => {
    const org = await orgWithEntries(2, 3);
    assert.deepEqual(await AUDIT_RETENTION.task.execute({}, ctx()), { deleted: 0 });
    const set = testSettings({ AUDIT_RETENTION_DAYS: '1095' });
    assert.deepEqual(await AUDIT_RETENTION.task.execute({}, ctx(set)), { deleted: 3 });
    const left = await t.owner.selectFrom('audit_log').select('action').where('org_id', '=', org.id).execute();
    assert.deepEqual(left.map((r) => r.action).sort(), [
      'audit.retention_applied',
      'housekeeping.deleted',
      'housekeeping.deleted',
    ]);
  });

  it('keeps its verdict; staff see it on the operations overview, and a broken chain leads the page in red', async () => {
    const support = await staffPerson(t, 'support');
    const never = await support.agent.get('/staff/operations');
    assert.match(never.body, /Audit log integrity/);
    assert.match(never.body, /Never verified\./);

    const org = await orgWithEntries(3);
    assert.deepEqual(await verifyAuditChains.execute({}, ctx()), {
      ok: true,
      chains: (await sql<{ n: number }>`select count(*)::int as n from audit_chains()`.execute(t.db)).rows[0]!.n,
      entries: Number(
        (
          await t.owner
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      broken: 0,
    });
    const intact = await support.agent.get('/staff/operations');
    assert.match(intact.body, /<span class="badge badge-green">Intact<\/span>/);
    assert.doesNotMatch(intact.body, /callout-danger/);

    const victim = await t.owner
      .selectFrom('audit_log')
      .select('id')
      .where('org_id', '=', org.id)
      .orderBy('chain_seq', 'desc')
      .executeTakeFirstOrThrow();
    const su = new pg.Client({
      connectionString: withCredentials(process.env.LW_TEST_ADMIN_URL!, { database: t.name }),
    });
    await su.connect();
    try {
      await su.query('set session_replication_role = replica');
      await su.query(`update audit_log set created_at = created_at - interval '1 day' where id = $1`, [victim.id]);
    } finally {
      await su.end();
    }
    const result = await verifyAuditChains.execute({}, ctx());
    assert.equal((result as { ok: boolean }).ok, false);
    const kept = await t.owner
      .selectFrom('audit_verifications')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(kept.source, 'task');
    assert.equal(kept.ok, false);
    assert.equal((kept.first_failure as { entryId: string }).entryId, victim.id);

    const broken = await support.agent.get('/staff/operations');
    const alert = /<div class="callout callout-danger" role="alert">(.*?)<\/div>/s.exec(broken.body)?.[1] ?? '';
    assert.match(alert, /The audit log's hash chain is broken/);
    assert.match(alert, new RegExp(`org ${org.slug}: at entry ${victim.id} \\(place 3\\)`));
    assert.ok(
      broken.body.indexOf('Audit log integrity') < broken.body.indexOf('Still failing'),
      'a broken chain comes before everything else',
    );
  });
});
