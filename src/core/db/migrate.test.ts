import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { findMigration, migrate, MigrationError, migrationStatus, MIGRATIONS_DIR } from './migrate.ts';
import { quoteIdent } from './pool.ts';
import { DEV_ROLE_PASSWORDS, OWNER_ROLE, roleUrls, withAdminClient } from './roles.ts';

// A database created empty (not from the template): migrations must build it from nothing.
const adminUrl = process.env.LW_TEST_ADMIN_URL ?? '';
const name = `${process.env.LW_TEST_PREFIX ?? 'lw_test'}_empty_${process.pid}`;
const ownerUrl = roleUrls(adminUrl, name, DEV_ROLE_PASSWORDS).ownerUrl;
let dir = '';

async function status() {
  const c = new pg.Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    return await migrationStatus(c, dir);
  } finally {
    await c.end();
  }
}

describe('migrations', () => {
  before(async () => {
    await withAdminClient(adminUrl, (c) => c.query(`create database ${quoteIdent(name)} owner ${OWNER_ROLE}`));
    dir = await mkdtemp(path.join(tmpdir(), 'lw-migrations-'));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
  });
  after(async () => {
    await withAdminClient(adminUrl, (c) => c.query(`drop database if exists ${quoteIdent(name)} with (force)`));
  });

  it('apply to an empty database in order, then report everything applied', async () => {
    const applied = await migrate(ownerUrl, { dir });
    assert.ok(applied.includes('0001_platform.sql'));
    const s = await status();
    assert.ok(s.migrations.every((m) => m.state === 'applied'));
    assert.deepEqual(await migrate(ownerUrl, { dir }), [], 'a second run applies nothing');
  });

  it('an edited, already-applied migration makes migrate refuse with a clear message', async () => {
    const file = path.join(dir, '0001_platform.sql');
    await writeFile(file, `${await readFile(file, 'utf8')}\n-- edited after the fact\n`);
    await assert.rejects(migrate(ownerUrl, { dir }), (err: Error) => {
      assert.ok(err instanceof MigrationError);
      assert.match(err.message, /0001_platform\.sql changed after it was applied/);
      return true;
    });
    assert.equal((await status()).migrations[0]?.state, 'edited');
  });

  it('a failing migration is rolled back whole and not recorded', async () => {
    const fresh = await mkdtemp(path.join(tmpdir(), 'lw-migrations-'));
    await cp(MIGRATIONS_DIR, fresh, { recursive: true });
    await writeFile(
      path.join(fresh, '0999_broken.sql'),
      'create table half_done (id int);\nselect no_such_function();\n',
    );
    dir = fresh;
    await assert.rejects(migrate(ownerUrl, { dir }), /0999_broken\.sql failed and was rolled back/);
    const c = new pg.Client({ connectionString: ownerUrl });
    await c.connect();
    const t = await c.query<{ t: string | null }>(`select to_regclass('half_done')::text as t`);
    await c.end();
    assert.equal(t.rows[0]?.t, null);
    assert.equal((await status()).migrations.find((m) => m.file === '0999_broken.sql')?.state, 'pending');
  });

  it('`sql NAME` finds a migration by number or name', async () => {
    assert.equal((await findMigration('1')).file, '0001_platform.sql');
    assert.equal((await findMigration('0001_platform')).file, '0001_platform.sql');
    await assert.rejects(findMigration('nope'), /no migration named nope/);
  });
});
