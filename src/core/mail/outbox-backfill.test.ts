// Migration 0018 on an outbox that already has mail: a message whose first delivery run names an
// org becomes that org's (and is hidden from the others); one whose runs are of no org, or gone,
// stays of no org.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { migrate, MIGRATIONS_DIR } from '../db/migrate.ts';
import { createDb, createPool, quoteIdent, type Db, type Tx } from '../db/pool.ts';
import { DEV_ROLE_PASSWORDS, OWNER_ROLE, roleUrls, withAdminClient } from '../db/roles.ts';
import { withOrg } from '../db/tenancy.ts';

const adminUrl = process.env.LW_TEST_ADMIN_URL ?? '';
const name = `${process.env.LW_TEST_PREFIX ?? 'lw_test'}_outbox_${process.pid}`;
const { ownerUrl, appUrl } = roleUrls(adminUrl, name, DEV_ROLE_PASSWORDS);
let owner: pg.Client;
let db: Db;

describe('migration 0018 gives the mail already in the outbox its org', () => {
  before(async () => {
    await withAdminClient(adminUrl, (c) => c.query(`create database ${quoteIdent(name)} owner ${OWNER_ROLE}`));
    const before18 = await mkdtemp(path.join(tmpdir(), 'lw-migrations-'));
    for (const f of await readdir(MIGRATIONS_DIR))
      if (Number(f.slice(0, 4)) < 18) await cp(path.join(MIGRATIONS_DIR, f), path.join(before18, f));
    await migrate(ownerUrl, { dir: before18 });
    await rm(before18, { recursive: true });
    owner = new pg.Client({ connectionString: ownerUrl });
    await owner.connect();
    db = createDb(createPool(appUrl, 2, { error: () => undefined }));
  });
  after(async () => {
    await owner.end();
    await db.destroy();
    await withAdminClient(adminUrl, (c) => c.query(`drop database if exists ${quoteIdent(name)} with (force)`));
  });

  it("from each message's delivery run; none where the run is of no org or gone", async () => {
    const orgs = await owner.query<{ id: string }>(
      `insert into organizations (name, slug) values ('A', 'outbox-a'), ('B', 'outbox-b') returning id`,
    );
    const [a, b] = orgs.rows.map((r) => r.id) as [string, string];
    const mails = await owner.query<{ id: string; dedupe_key: string }>(
      `insert into mail_outbox (dedupe_key, to_address, subject, text_body, status) values
         ('invite', 'x@example.test', 'Join A', 't', 'sent'),
         ('reset', 'y@example.test', 'Reset', 't', 'sent'),
         ('old', 'z@example.test', 'Old', 't', 'sent')
       returning id, dedupe_key`,
    );
    const id = Object.fromEntries(mails.rows.map((r) => [r.dedupe_key, r.id])) as Record<string, string>;
    await owner.query(
      `insert into task_runs (org_id, task, input, max_attempts) values
         ($1, 'mail.deliver', jsonb_build_object('messageId', $2::text), 8),
         (null, 'mail.deliver', jsonb_build_object('messageId', $2::text), 8),
         (null, 'mail.deliver', jsonb_build_object('messageId', $3::text), 8)`,
      [a, id.invite, id.reset],
    );
    await migrate(ownerUrl);
    const rows = await owner.query<{ dedupe_key: string; org_id: string | null }>(
      'select dedupe_key, org_id from mail_outbox order by dedupe_key',
    );
    assert.deepEqual(
      rows.rows.map((r) => [r.dedupe_key, r.org_id]),
      [
        ['invite', a],
        ['old', null],
        ['reset', null],
      ],
    );
    const seen = (tx: Tx) => tx.selectFrom('mail_outbox').select('dedupe_key').orderBy('dedupe_key').execute();
    assert.deepEqual(
      (await withOrg(db, b, null, seen)).map((r) => r.dedupe_key),
      ['old', 'reset'],
    );
    assert.deepEqual(
      (await withOrg(db, a, null, seen)).map((r) => r.dedupe_key),
      ['invite', 'old', 'reset'],
    );
  });
});
