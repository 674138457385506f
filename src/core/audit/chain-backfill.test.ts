// Migration 0015 on a database that already has audit entries: it chains them per org in
// (created_at, id) order, and the result verifies; new entries continue each chain.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { migrate, MIGRATIONS_DIR } from '../db/migrate.ts';
import { createDb, createPool, quoteIdent, type Db } from '../db/pool.ts';
import { DEV_ROLE_PASSWORDS, OWNER_ROLE, roleUrls, withAdminClient } from '../db/roles.ts';
import { verifyAuditLog } from './verify.ts';

const adminUrl = process.env.LW_TEST_ADMIN_URL ?? '';
const name = `${process.env.LW_TEST_PREFIX ?? 'lw_test'}_backfill_${process.pid}`;
const { ownerUrl, appUrl } = roleUrls(adminUrl, name, DEV_ROLE_PASSWORDS);
let owner: pg.Client;
let db: Db;

describe('migration 0015 chains the entries already in the log', () => {
  before(async () => {
    await withAdminClient(adminUrl, (c) => c.query(`create database ${quoteIdent(name)} owner ${OWNER_ROLE}`));
    const before15 = await mkdtemp(path.join(tmpdir(), 'lw-migrations-'));
    for (const f of await readdir(MIGRATIONS_DIR))
      if (Number(f.slice(0, 4)) < 15) await cp(path.join(MIGRATIONS_DIR, f), path.join(before15, f));
    await migrate(ownerUrl, { dir: before15 });
    await rm(before15, { recursive: true });
    owner = new pg.Client({ connectionString: ownerUrl });
    await owner.connect();
    db = createDb(createPool(appUrl, 2, { error: () => undefined }));
  });
  after(async () => {
    await owner.end();
    await db.destroy();
    await withAdminClient(adminUrl, (c) => c.query(`drop database if exists ${quoteIdent(name)} with (force)`));
  });

  it('in (created_at, id) order per org, one chain for no org; the result verifies and new entries continue it', async () => {
    const orgs = await owner.query<{ id: string }>(
      `insert into organizations (name, slug) values ('A', 'backfill-a'), ('B', 'backfill-b') returning id`,
    );
    const [a, b] = orgs.rows.map((r) => r.id);
    // Ids out of time order on purpose: the chain follows created_at first.
    await owner.query(
      `insert into audit_log (org_id, action, changes, ip, created_at) values
         ($1, 'old.third', '{"k": [1, {"z": null, "a": "é"}]}', '192.168.1.0/24', '2025-03-01T10:00:00.123456Z'),
         ($1, 'old.first', '{}', null, '2025-01-01T00:00:00Z'),
         ($2, 'old.only', '{}', '::1', '2025-02-01T00:00:00Z'),
         (null, 'old.signin', '{}', null, '2025-01-15T00:00:00Z'),
         ($1, 'old.second', '{}', null, '2025-02-01T00:00:00Z')`,
      [a, b],
    );
    await migrate(ownerUrl);
    const chain = await owner.query<{ action: string; chain_seq: string }>(
      'select action, chain_seq from audit_log where org_id = $1 order by chain_seq',
      [a],
    );
    assert.deepEqual(
      chain.rows.map((r) => [r.chain_seq, r.action]),
      [
        ['1', 'old.first'],
        ['2', 'old.second'],
        ['3', 'old.third'],
      ],
    );
    const v = await verifyAuditLog(db);
    assert.deepEqual([v.ok, v.chains, v.entries], [true, 3, 5], JSON.stringify(v.breaks));
    await owner.query(`insert into audit_log (org_id, action) values ($1, 'new.fourth')`, [a]);
    const next = await owner.query<{ chain_seq: string; linked: boolean }>(
      `select n.chain_seq, n.prev_hash = p.hash as linked from audit_log n, audit_log p
        where n.action = 'new.fourth' and p.action = 'old.third'`,
    );
    assert.deepEqual(next.rows[0], { chain_seq: '4', linked: true });
    assert.equal((await verifyAuditLog(db)).ok, true);
  });
});
