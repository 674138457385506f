// `ledgerworks audit verify` and what `ledgerworks check --deploy` says of the last verification,
// run as processes against this file's database: exit 0 with one verdict line when every chain
// holds, exit 1 naming the entry where one breaks.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import { recordAudit, SYSTEM_ACTOR } from './core/audit/audit.ts';
import { withCredentials } from './core/db/pool.ts';
import { withOrg } from './core/db/tenancy.ts';
import { HOUSEKEEPING_AUDIT } from './core/tasks/housekeeping.ts';
import { PRODUCTION_ENV, useTestApp } from './testing/harness.ts';

const t = useTestApp({}, { tampersWithAuditLog: true });
const CLI = path.resolve(import.meta.dirname, 'cli.ts');

function cli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: t.appUrl, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

/** check --deploy with an otherwise valid production configuration, on this file's database. */
const checkDeploy = () => cli(['check', '--deploy'], { ...PRODUCTION_ENV, DATABASE_URL: t.appUrl });

async function orgWithEntries(n: number): Promise<{ id: string; slug: string; ids: string[] }> {
  const slug = `cli-${randomBytes(4).toString('hex')}`;
  const { id } = await t.owner
    .insertInto('organizations')
    .values({ name: slug, slug })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (let i = 0; i < n; i++)
    await withOrg(t.db, id, null, (tx) =>
      recordAudit(tx, { orgId: id, actor: SYSTEM_ACTOR, action: HOUSEKEEPING_AUDIT.deleted, changes: { i } }),
    );
  const rows = await t.owner
    .selectFrom('audit_log')
    .select('id')
    .where('org_id', '=', id)
    .orderBy('chain_seq')
    .execute();
  return { id, slug, ids: rows.map((r) => r.id) };
}

describe('ledgerworks audit verify', () => {
  it('check --deploy warns while the log was never verified, without failing the check', async () => {
    const r = await checkDeploy();
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^! audit log: never verified: run ledgerworks audit verify/m);
  });

  it('refuses a usage it does not know, and an org that does not exist', async () => {
    const bare = await cli(['audit']);
    assert.equal(bare.code, 1);
    assert.match(bare.err, /usage: ledgerworks audit verify \[--org SLUG\]/);
    const unknown = await cli(['audit', 'verify', '--org', 'no-such-org']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /no organization with the slug no-such-org/);
  });

  it('an intact log: exit 0 and one line with the counts; the verdict is kept and check --deploy reports it', async () => {
    const org = await orgWithEntries(3);
    const all = await cli(['audit', 'verify']);
    assert.equal(all.code, 0, all.out + all.err);
    assert.match(all.out, /^✓ audit log verified: \d+ chains?, [\d,]+ entr(y|ies), every link intact \(\d+\.\d s\)\n$/);
    const one = await cli(['audit', 'verify', '--org', org.slug]);
    assert.equal(one.code, 0, one.out + one.err);
    assert.match(
      one.out,
      new RegExp(`^✓ audit log of org ${org.slug} verified: 1 chain, 3 entries, every link intact`),
    );
    const kept = await t.owner.selectFrom('audit_verifications').selectAll().orderBy('id').execute();
    assert.deepEqual(
      kept.map((v) => [v.source, v.org_slug, v.ok]),
      [
        ['cli', null, true],
        ['cli', org.slug, true],
      ],
    );
    const check = await checkDeploy();
    assert.equal(check.code, 0, check.out);
    assert.match(
      check.out,
      /^✓ audit log: verified \d+ min ago \(\d+ chains?, [\d,]+ entr(y|ies), every link intact\)$/m,
    );
  });

  it('an entry edited past the triggers: exit 1 naming that entry; check --deploy fails on it', async () => {
    const org = await orgWithEntries(4);
    const victim = org.ids[1]!;
    const su = new pg.Client({
      connectionString: withCredentials(process.env.LW_TEST_ADMIN_URL!, { database: t.name }),
    });
    await su.connect();
    try {
      await su.query('alter table audit_log disable trigger user');
      await su.query(`update audit_log set action = 'housekeeping.kept' where id = $1`, [victim]);
      await su.query('alter table audit_log enable trigger user');
    } finally {
      await su.end();
    }
    const r = await cli(['audit', 'verify']);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(
      r.out,
      new RegExp(
        `^✗ org ${org.slug}: broken at entry ${victim} \\(place 2, written [0-9T:.-]+Z\\): its fields no longer give its hash`,
        'm',
      ),
    );
    assert.match(r.out, /^✗ audit log is NOT intact: \d+ chains?, [\d,]+ entries, 1 broken chain \(\d+\.\d s\)$/m);
    const other = await orgWithEntries(1);
    assert.equal((await cli(['audit', 'verify', '--org', other.slug])).code, 0, 'another org’s chain still holds');
    const check = await checkDeploy();
    assert.equal(check.code, 1);
    assert.match(
      check.out,
      new RegExp(
        `^✗ audit log: verification FAILED \\d+ min ago .*first: org ${org.slug}: broken at entry ${victim}`,
        'm',
      ),
    );
  });
});
