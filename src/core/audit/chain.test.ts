// The audit log cannot be rewritten unnoticed (migration 0015): it is append-only for every role,
// the owner included; every entry is hash-chained to the one before it in its org's chain; what a
// superuser changes or removes past the triggers, verify finds at exactly that entry.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { withCredentials } from '../db/pool.ts';
import { withOrg, withUser } from '../db/tenancy.ts';
import { useTestApp } from '../../testing/harness.ts';
import { HOUSEKEEPING_AUDIT } from '../tasks/housekeeping.ts';
import { recordAudit, SYSTEM_ACTOR } from './audit.ts';
import { verifyAuditLog } from './verify.ts';

const t = useTestApp({}, { tampersWithAuditLog: true });

async function newOrg(): Promise<{ id: string; slug: string }> {
  const slug = `chain-${randomBytes(4).toString('hex')}`;
  const row = await t.owner
    .insertInto('organizations')
    .values({ name: slug, slug })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, slug };
}

/** One entry in `orgId`'s chain, written as the app writes it (the runtime role, in the org). */
function entry(orgId: string, n: number) {
  return withOrg(t.db, orgId, null, (tx) =>
    recordAudit(tx, {
      orgId,
      actor: { ...SYSTEM_ACTOR, requestId: `req-${n}`, ip: '10.0.0.7' },
      action: HOUSEKEEPING_AUDIT.deleted,
      target: { type: 'test', id: String(n) },
      changes: { n, note: 'ünïcode ✓', nested: { b: 1, a: [true, null] } },
    }),
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

/** A superuser session with the triggers off (session_replication_role = replica): what the chain is for. */
async function asSuperuserPastTriggers(...queries: [string, unknown[]?][]): Promise<void> {
  const c = new pg.Client({ connectionString: withCredentials(process.env.LW_TEST_ADMIN_URL!, { database: t.name }) });
  await c.connect();
  try {
    const su = await c.query<{ rolsuper: boolean }>('select rolsuper from pg_roles where rolname = current_user');
    assert.equal(su.rows[0]?.rolsuper, true, 'the test needs a superuser');
    await c.query('set session_replication_role = replica');
    for (const [query, params] of queries) await c.query(query, params ?? []);
  } finally {
    await c.end();
  }
}

describe('the audit log is append-only for every role', () => {
  it('UPDATE, DELETE and TRUNCATE are refused for the runtime role (no privilege) and for the owner (a trigger)', async () => {
    const org = await newOrg();
    await entry(org.id, 1);
    await assert.rejects(
      withOrg(t.db, org.id, null, (tx) =>
        tx.updateTable('audit_log').set({ action: 'org.tampered' }).where('org_id', '=', org.id).execute(),
      ),
      /permission denied/,
    );
    await assert.rejects(
      withOrg(t.db, org.id, null, (tx) => tx.deleteFrom('audit_log').where('org_id', '=', org.id).execute()),
      /permission denied/,
    );
    await assert.rejects(
      t.owner.updateTable('audit_log').set({ action: 'org.tampered' }).where('org_id', '=', org.id).execute(),
      /audit_log is append-only: UPDATE is not allowed/,
    );
    await assert.rejects(
      t.owner.deleteFrom('audit_log').where('org_id', '=', org.id).execute(),
      /audit_log is append-only: DELETE is not allowed/,
    );
    await assert.rejects(sql`truncate audit_log`.execute(t.owner), /audit_log is append-only: TRUNCATE is not allowed/);
    // A delete needs a row of audit_log_retention in its own transaction, which only
    // audit_log_apply_retention writes: the runtime role cannot forge one.
    await assert.rejects(
      sql`insert into audit_log_retention (chain, from_seq, to_seq, removed, anchor_hash, cutoff)
          values (${org.id}::uuid, 1, 1, 1, sha256(''), now())`.execute(t.db),
      /permission denied/,
    );
    assert.equal((await chainOf(org.id)).length, 1);
  });
});

describe('the hash chain', () => {
  it('each entry takes the next place in its org’s chain and stores the hash of the one before it', async () => {
    const a = await newOrg();
    const b = await newOrg();
    await entry(a.id, 1);
    await entry(b.id, 1);
    await entry(a.id, 2);
    await entry(a.id, 3);
    const chain = await chainOf(a.id);
    assert.deepEqual(
      chain.map((r) => r.chain_seq),
      ['1', '2', '3'],
    );
    assert.equal(chain[0]!.prev_hash, null);
    assert.deepEqual(chain[1]!.prev_hash, chain[0]!.hash);
    assert.deepEqual(chain[2]!.prev_hash, chain[1]!.hash);
    const other = await chainOf(b.id);
    assert.deepEqual(
      other.map((r) => r.chain_seq),
      ['1'],
      'another org has a chain of its own',
    );
    await withUser(t.db, null, (tx) =>
      recordAudit(tx, { orgId: null, actor: SYSTEM_ACTOR, action: HOUSEKEEPING_AUDIT.deleted }),
    );
    const none = await t.owner
      .selectFrom('audit_log')
      .select(['chain_seq', 'prev_hash'])
      .where('org_id', 'is', null)
      .orderBy('chain_seq', 'desc')
      .executeTakeFirstOrThrow();
    assert.ok(Number(none.chain_seq) >= 1, 'entries of no organization are chained too');
    assert.equal((await verifyAuditLog(t.db, { orgSlug: a.slug })).ok, true);
  });

  it('the hash is SHA-256 of the canonical form, whatever the session’s time zone or bytea output', async () => {
    const org = await newOrg();
    await entry(org.id, 1);
    const r = await t.owner.connection().execute(async (c) => {
      await sql`set time zone 'America/Los_Angeles'`.execute(c);
      await sql`set bytea_output = 'escape'`.execute(c);
      await sql`set datestyle = 'German'`.execute(c);
      const row = await sql<{ canonical: string; same: boolean }>`
        select audit_log_canonical(a) as canonical, sha256(convert_to(audit_log_canonical(a), 'UTF8')) = a.hash as same
          from audit_log a where org_id = ${org.id}::uuid`.execute(c);
      await sql`reset time zone; reset bytea_output; reset datestyle`.execute(c);
      return row.rows[0]!;
    });
    assert.equal(r.same, true);
    assert.match(r.canonical, /"created_at": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z"/);
    assert.match(r.canonical, /"ip": "10\.0\.0\.7\/32"/);
    assert.doesNotMatch(r.canonical, /"prev_hash"|"impersonator_user_id"/, 'null fields are left out');
  });

  it('the canonical form covers every column of audit_log but the hash itself', async () => {
    const org = await newOrg();
    await entry(org.id, 1);
    await entry(org.id, 2);
    await t.owner
      .insertInto('audit_log')
      .values({
        org_id: org.id,
        actor_user_id: org.id,
        impersonator_user_id: org.id,
        action: 'test.everything',
        target_type: 't',
        target_id: '1',
        changes: '{"x": 1}',
        request_id: 'r',
        ip: '10.1.2.3',
      })
      .execute();
    const keys = await sql<{ key: string }>`
      select jsonb_object_keys(audit_log_canonical(a)::jsonb) as key from audit_log a
       where org_id = ${org.id}::uuid and action = 'test.everything'`.execute(t.owner);
    const columns = await sql<{ column_name: string }>`
      select column_name from information_schema.columns where table_name = 'audit_log' and table_schema = 'public'`.execute(
      t.owner,
    );
    assert.deepEqual(
      keys.rows.map((k) => k.key).sort(),
      columns.rows
        .map((c) => c.column_name)
        .filter((c) => c !== 'hash')
        .sort(),
      'a new audit_log column must be added to audit_log_canonical (migration 0015 says how)',
    );
  });
});

describe('verify finds what was changed past the triggers', () => {
  it('an entry edited by a superuser with the triggers off fails verify at exactly that entry', async () => {
    const org = await newOrg();
    for (let n = 1; n <= 5; n++) await entry(org.id, n);
    const chain = await chainOf(org.id);
    const victim = chain[2]!;
    const before = await t.owner
      .selectFrom('audit_log')
      .select('changes')
      .where('id', '=', victim.id)
      .executeTakeFirstOrThrow();
    await asSuperuserPastTriggers([`update audit_log set changes = '{"n": 300}' where id = $1`, [victim.id]]);
    const v = await verifyAuditLog(t.db, { orgSlug: org.slug });
    assert.equal(v.ok, false);
    assert.equal(v.breaks.length, 1);
    assert.equal(v.breaks[0]!.kind, 'edited');
    assert.equal(v.breaks[0]!.entryId, victim.id);
    assert.equal(v.breaks[0]!.seq, '3');
    assert.equal(v.breaks[0]!.createdAt, victim.created_at.toISOString());
    assert.match(v.breaks[0]!.message, /changed after it was written/);
    // Put back as it was, the chain holds again: verify recomputes, it does not remember.
    await asSuperuserPastTriggers([
      `update audit_log set changes = $2 where id = $1`,
      [victim.id, JSON.stringify(before.changes)],
    ]);
    assert.equal((await verifyAuditLog(t.db, { orgSlug: org.slug })).ok, true);
  });

  it('an edit that also rewrites the entry’s own hash is found at the next entry (its link)', async () => {
    const org = await newOrg();
    for (let n = 1; n <= 3; n++) await entry(org.id, n);
    const chain = await chainOf(org.id);
    await asSuperuserPastTriggers(
      [`update audit_log set changes = '{"n": 2000}' where id = $1`, [chain[1]!.id]],
      ['update audit_log a set hash = audit_log_hash(a) where id = $1', [chain[1]!.id]],
    );
    const v = await verifyAuditLog(t.db, { orgSlug: org.slug });
    assert.equal(v.breaks[0]?.kind, 'link');
    assert.equal(v.breaks[0]?.entryId, chain[2]!.id);
  });

  it('a deleted entry leaves a gap, reported at the entry after it', async () => {
    const org = await newOrg();
    for (let n = 1; n <= 4; n++) await entry(org.id, n);
    const chain = await chainOf(org.id);
    await asSuperuserPastTriggers(['delete from audit_log where id = $1', [chain[1]!.id]]);
    const v = await verifyAuditLog(t.db, { orgSlug: org.slug });
    assert.equal(v.ok, false);
    assert.equal(v.breaks[0]!.kind, 'gap');
    assert.equal(v.breaks[0]!.entryId, chain[2]!.id);
    assert.equal(v.breaks[0]!.seq, '3');
    assert.match(v.breaks[0]!.message, /1 entry is missing before it \(expected place 2, found 3, after entry \d+\)/);
    assert.equal(v.entries, 3);
  });

  it('deleted last entries are found too: the chain ends before its head', async () => {
    const org = await newOrg();
    for (let n = 1; n <= 3; n++) await entry(org.id, n);
    const chain = await chainOf(org.id);
    await asSuperuserPastTriggers(['delete from audit_log where id = $1', [chain[2]!.id]]);
    const v = await verifyAuditLog(t.db, { orgSlug: org.slug });
    assert.equal(v.breaks[0]?.kind, 'truncated');
    assert.match(v.breaks[0]?.message ?? '', /ends at place 2 .* but its head is at 3/);
  });

  it('an unknown slug is an error, not an empty success', async () => {
    await assert.rejects(verifyAuditLog(t.db, { orgSlug: 'no-such-org' }), /no organization with the slug no-such-org/);
  });
});
