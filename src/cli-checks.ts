// The operator commands that report on a deployment: `check --deploy` and `audit verify`. They print
// a verdict and set the exit code (1: something is wrong) for scripts and CI.
import pg from 'pg';
import { loadSettings, SettingsError } from './core/config/settings.ts';
import { lastVerification, recordVerification, verificationStatus } from './core/audit/verifications.ts';
import { describeBreak, describeVerdict, UnknownOrgError, verifyAuditLog } from './core/audit/verify.ts';
import { migrationStatus } from './core/db/migrate.ts';
import { createDb, createPool, type Db } from './core/db/pool.ts';
import { runtimeRoleProblem } from './core/db/roles.ts';

function fail(message: string): never {
  process.stderr.write(`ledgerworks: ${message}\n`);
  process.exit(1);
}

/** `audit verify`: the verdict is kept (audit_verifications) whatever it is; a broken chain exits 1. */
export async function auditVerify(db: Db, orgSlug: string | null): Promise<void> {
  const verdict = await verifyAuditLog(db, { orgSlug }).catch((err: unknown) => {
    if (err instanceof UnknownOrgError) fail(err.message);
    throw err;
  });
  await recordVerification(db, verdict, 'cli');
  const scope = orgSlug ? `audit log of org ${orgSlug}` : 'audit log';
  const took = ((verdict.finishedAt.getTime() - verdict.startedAt.getTime()) / 1000).toFixed(1);
  if (verdict.ok) {
    process.stdout.write(
      `✓ ${scope} verified: ${describeVerdict({ ...verdict, broken: verdict.breaks.length })} (${took} s)\n`,
    );
    return;
  }
  for (const b of verdict.breaks) process.stdout.write(`✗ ${describeBreak(b)}\n`);
  process.stdout.write(
    `✗ ${scope} is NOT intact: ${describeVerdict({ ...verdict, broken: verdict.breaks.length })} (${took} s)\n`,
  );
  process.exitCode = 1;
}

/** What production would refuse, reported all at once; what deserves a look (the audit log's last verification) too. */
export async function checkDeploy(): Promise<void> {
  const problems: string[] = [];
  const notes: string[] = [];
  try {
    loadSettings({ ...process.env, NODE_ENV: 'production' });
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    problems.push(err.message);
  }
  const url = process.env.DATABASE_URL;
  if (url) {
    const c = new pg.Client({ connectionString: url });
    let current = false;
    try {
      await c.connect();
      const p = await runtimeRoleProblem(c);
      if (p) problems.push(`DATABASE_URL: ${p}`);
      const s = await migrationStatus(c);
      current = !s.migrations.some((m) => m.state !== 'applied') && !s.missing.length;
      if (!current) problems.push('migrations: not current (run ledgerworks migrate)');
    } catch (err) {
      problems.push(`DATABASE_URL: cannot connect (${(err as Error).message})`);
    } finally {
      await c.end().catch(() => undefined);
    }
    if (current) {
      const db = createDb(createPool(url, 1, { error: () => undefined }, 'ledgerworks-check'));
      const audit = verificationStatus(await lastVerification(db).finally(() => db.destroy()), new Date());
      if (audit.level === 'failed') problems.push(`audit log: ${audit.message}`);
      else if (audit.level === 'ok') notes.push(`✓ audit log: ${audit.message}`);
      else notes.push(`! audit log: ${audit.message}`);
    }
  }
  for (const p of problems) process.stdout.write(`✗ ${p}\n`);
  if (problems.length) process.exitCode = 1;
  else process.stdout.write('✓ settings, runtime role and migrations are fit for production\n');
  for (const n of notes) process.stdout.write(`${n}\n`);
}
