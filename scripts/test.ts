// Runs the test suite against a real PostgreSQL: the embedded one (under var/pg-test), or
// the server DATABASE_URL points at (a role that may create roles and databases).
// A template database is migrated once; every test file clones its own from it.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { startEmbedded } from '../src/core/db/embedded.ts';
import { migrate } from '../src/core/db/migrate.ts';
import { quoteIdent } from '../src/core/db/pool.ts';
import { DEV_ROLE_PASSWORDS, OWNER_ROLE, ensureRoles, roleUrls, withAdminClient } from '../src/core/db/roles.ts';

const browser = process.argv.includes('--browser');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));

function findTests(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return findTests(full);
    const isBrowser = name.endsWith('.browser.test.ts');
    return name.endsWith('.test.ts') && isBrowser === browser ? [full] : [];
  });
}

const files = only.length ? only : findTests('src').sort();
const external = process.env.DATABASE_URL;
const embedded = external
  ? null
  : await startEmbedded({ dir: 'var/pg-test', port: Number(process.env.TEST_PG_PORT ?? 54339), log: () => undefined });
const adminUrl = external ?? embedded!.adminUrl;
const prefix = `lw_test_${process.pid}`;
const template = `${prefix}_template`;

process.stdout.write(
  `PostgreSQL: ${external ? 'DATABASE_URL' : 'embedded (var/pg-test)'}; template ${template}; ${files.length} test files\n`,
);

let code: number;
try {
  await withAdminClient(adminUrl, async (c) => {
    await ensureRoles(c, DEV_ROLE_PASSWORDS);
    await c.query(`drop database if exists ${quoteIdent(template)}`);
    await c.query(`create database ${quoteIdent(template)} owner ${OWNER_ROLE}`);
  });
  await migrate(roleUrls(adminUrl, template, DEV_ROLE_PASSWORDS).ownerUrl);
  code = await new Promise<number>((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
      {
        stdio: 'inherit',
        env: {
          ...process.env,
          NODE_ENV: 'test',
          LW_TEST_ADMIN_URL: adminUrl,
          LW_TEST_TEMPLATE: template,
          LW_TEST_PREFIX: prefix,
          DATABASE_URL: '',
        },
      },
    );
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
} finally {
  await withAdminClient(adminUrl, async (c) => {
    const dbs = await c.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [
      `${prefix}%`,
    ]);
    for (const { datname } of dbs.rows) await c.query(`drop database if exists ${quoteIdent(datname)} with (force)`);
  }).catch((err: unknown) => process.stderr.write(`cleanup failed: ${String(err)}\n`));
  await embedded?.stop();
}
process.exit(code);
