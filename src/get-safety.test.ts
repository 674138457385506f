// A GET changes nothing: every GET route of the route table, requested by the person who may see
// the most (an org's owner, a superuser for the back-office, nobody for the public pages), with
// real records in its path, leaves every table as it was, but for the bookkeeping listed below
// with its reason; the only audit entries it may write are read-access ones (who opened or
// downloaded what). A link followed by a crawler or a cross-site page can make no export, mark no
// payout exported and build no report.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { filePath } from './modules/exports/files.ts';
import { isStaffAccess } from './core/http/staff-access.ts';
import { accessWalk, keyOf } from './testing/access-walk.ts';
import type { Records } from './testing/access-matrix.ts';
import { buildOrg, type BuiltOrg } from './testing/factories.ts';
import { Agent, useTestApp } from './testing/harness.ts';
import { staffPerson, type StaffPerson } from './testing/staff.ts';

const t = useTestApp();

/** Tables a GET may write, and why that is not a change of anything a person did. */
const BOOKKEEPING: Record<string, string> = {
  sessions: "a session's last request time and its idle timeout (every signed-in request renews them)",
  audit_log: 'read-access entries (checked below: only the actions of READ_AUDITS)',
  audit_chain_heads: "the audit log's chain head moves with each read-access entry",
};

/** Audit actions that record a read: who opened or downloaded what. */
const READ_AUDITS = new Set([
  'staff.viewed',
  'account.viewed_by_staff',
  'staff.exported',
  'export.downloaded',
  'report.downloaded',
  'invoice.attachment_downloaded',
  'import.rejections_downloaded',
]);

/** Every table's rows, as one fingerprint each (order-independent). */
async function tables(): Promise<Map<string, string>> {
  const names = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`.execute(t.owner);
  const out = new Map<string, string>();
  for (const { name } of names.rows) {
    const r = await sql<{ n: string; h: string | null }>`
      select count(*)::text as n, md5(string_agg(md5(x::text), '' order by md5(x::text))) as h
        from ${sql.table(name)} as x`.execute(t.owner);
    out.set(name, `${r.rows[0]!.n}:${r.rows[0]!.h ?? ''}`);
  }
  return out;
}

let org: BuiltOrg;
let records: Records;
let staff: StaffPerson;

describe('a GET changes nothing', () => {
  before(async () => {
    org = await buildOrg(t, { name: 'Get Safe Holdings' });
    records = { ...(await accessWalk(t).makeRecords(org.orgId, org.owner.id)), orgId: org.orgId };
    staff = await staffPerson(t, 'superuser');
    // The built export's file, so that its download is walked as it answers for real.
    const e = await t.owner
      .selectFrom('exports')
      .select('file_key')
      .where('org_id', '=', org.orgId)
      .where('status', '=', 'ready')
      .executeTakeFirstOrThrow();
    const file = filePath(t.settings.uploadDir, e.file_key!);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, 'name,tax_id\nAcme,DE1\n');
  });

  it('every GET route, as the person who may see the most, leaves every table as it was but for bookkeeping', async () => {
    const walk = accessWalk(t);
    const anonymous = new Agent(t.app, '10.66.0.1');
    const gets = t.app.routeList.filter((r) => r.method === 'GET');
    assert.ok(gets.length > 60, `the walk covers the app (${gets.length} GET routes)`);
    const before = await tables();
    const firstAudit = await sql<{ id: string }>`select coalesce(max(id), 0)::text as id from audit_log`.execute(
      t.owner,
    );
    const answered: string[] = [];
    for (const r of gets) {
      const agent = r.access === 'public' ? anonymous : isStaffAccess(r.access) ? staff.agent : org.owner.agent;
      const res = await walk.request(agent, r, records, org.slug);
      // Readiness says 503 here: no worker runs in this test.
      const fine = res.statusCode < 500 || (keyOf(r) === 'GET /readyz' && res.statusCode === 503);
      assert.ok(fine, `${keyOf(r)}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      answered.push(`${keyOf(r)} ${res.statusCode}`);
    }
    if (process.env.GET_SAFETY_SHOW) console.log(answered.filter((a) => !/ 200$/.test(a)).join('\n'));
    const after = await tables();
    const changed = [...after.keys()].filter((name) => before.get(name) !== after.get(name));
    assert.deepEqual(
      changed.filter((name) => !(name in BOOKKEEPING)),
      [],
      `tables a GET changed (walked ${answered.length} routes)`,
    );
    const written = await sql<{ action: string }>`
      select distinct action from audit_log where id > ${firstAudit.rows[0]!.id}::bigint order by 1`.execute(t.owner);
    assert.deepEqual(
      written.rows.map((w) => w.action).filter((a) => !READ_AUDITS.has(a)),
      [],
      'a GET writes read-access audit entries only',
    );
  });
});
