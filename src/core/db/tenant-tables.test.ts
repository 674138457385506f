// Every table either holds one org's data, and then has org_id and row-level security on, or is
// named below with the reason it holds no tenant content. A new table fails this test until it is
// classified: it cannot forget the second wall.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createTestDb, type TestDb } from '../../testing/harness.ts';

/** Tables without org_id, each with why it holds no org's content (or is guarded otherwise). */
const NOT_TENANT_TABLES: Record<string, string> = {
  organizations: 'the tenants themselves; row-level security on (the current org, or one the user is a member of)',
  users: 'people, who belong to no one org; reached through memberships',
  sessions: "a person's devices, not an org's data",
  currencies: 'ISO 4217 reference data, shared by every org',
  csp_reports: "browsers' CSP violation reports about the app's pages, not about an org",
  worker_heartbeats: 'which worker processes are alive',
  schema_migrations: 'which migrations ran',
  audit_chain_heads: "each chain's head hash; the runtime role has no access (triggers and verify only)",
  audit_log_retention: 'a record of retention runs; the runtime role has no access',
  audit_verifications: 'results of verifying the chains (counts and the first broken link), read by staff',
  user_tokens: "a person's reset, sign-up and email-change tokens (hashes)",
  recovery_codes: "a person's two-factor recovery codes (hashes)",
  notification_preferences: "a person's choice of mail per kind of event, the same in every org",
  form_submissions: "double-submission keys of a person's forms (the path and the redirect, no record content)",
  invoice_transitions: 'the allowed invoice status changes, the same for every org',
  payout_transitions: 'the allowed payout status changes, the same for every org',
};

/**
 * Tables with org_id whose rows are not an org's data, with why row-level security is not their wall.
 * Keep this short: a table here must say what guards it instead.
 */
const ORG_ID_WITHOUT_RLS: Record<string, string> = {
  impersonations:
    'staff records (who, whom, why, until when); org_id is the one org it may open. Read by the session layer before any org context; the runtime role may only insert and end one, and a trigger checks each',
};

type TableFacts = { name: string; has_org_id: boolean; rls: boolean };

const TABLES_SQL = `
    select c.relname as name, c.relrowsecurity as rls,
           exists (select 1 from pg_attribute a
                    where a.attrelid = c.oid and a.attname = 'org_id' and a.attnum > 0 and not a.attisdropped) as has_org_id
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
     order by c.relname`;

async function publicTables(db: pg.Pool | pg.Client): Promise<TableFacts[]> {
  return (await db.query<TableFacts>(TABLES_SQL)).rows;
}

/** What is wrong with the schema's tables: a tenant table without RLS, an unclassified table. */
function findings(tables: TableFacts[]): string[] {
  return tables.flatMap((t) => {
    if (t.has_org_id)
      return t.rls || t.name in ORG_ID_WITHOUT_RLS ? [] : [`${t.name} has org_id but row-level security is off`];
    if (!(t.name in NOT_TENANT_TABLES))
      return [`${t.name} has no org_id and is not in NOT_TENANT_TABLES (add org_id and RLS, or say why not)`];
    return [];
  });
}

let t: TestDb & { drop: () => Promise<void> };

describe('tenant tables', () => {
  before(async () => {
    t = await createTestDb();
  });
  after(async () => {
    await t.drop();
  });

  it('a new table with org_id and no row-level security, or with no org_id and no reason, is found', async () => {
    // As the server's admin (the owner role may not create in public), in a transaction rolled back.
    const url = new URL(process.env.LW_TEST_ADMIN_URL ?? '');
    url.pathname = `/${t.name}`;
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    try {
      await admin.query('begin');
      await admin.query('create table tenant_probe_forgot_rls (id uuid primary key, org_id uuid not null)');
      await admin.query('create table tenant_probe_unclassified (id uuid primary key)');
      const found = findings(await publicTables(admin));
      assert.ok(found.includes('tenant_probe_forgot_rls has org_id but row-level security is off'), found.join('\n'));
      assert.ok(
        found.some((f) => f.startsWith('tenant_probe_unclassified has no org_id')),
        found.join('\n'),
      );
      await admin.query('alter table tenant_probe_forgot_rls enable row level security');
      assert.ok(!findings(await publicTables(admin)).some((f) => f.startsWith('tenant_probe_forgot_rls')));
    } finally {
      await admin.query('rollback');
      await admin.end();
    }
  });

  it('every table with org_id has row-level security on; every other table is classified', async () => {
    const tables = await publicTables(t.ownerPool);
    assert.ok(
      tables.some((x) => x.name === 'mail_outbox' && x.has_org_id && x.rls),
      'mail_outbox is a tenant table',
    );
    assert.deepEqual(findings(tables), []);
  });

  it('the list names no table that is gone, and organizations keeps its row-level security', async () => {
    const tables = await publicTables(t.ownerPool);
    const names = new Set(tables.map((x) => x.name));
    assert.deepEqual(
      [...Object.keys(NOT_TENANT_TABLES), ...Object.keys(ORG_ID_WITHOUT_RLS)].filter((n) => !names.has(n)),
      [],
    );
    assert.ok(tables.find((x) => x.name === 'organizations')?.rls);
  });
});
