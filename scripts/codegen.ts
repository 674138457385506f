// Generates src/core/db/generated.ts, the Kysely row types, from a database migrated with
// migrations/*.sql: the embedded PostgreSQL (under var/pg-codegen), or the server DATABASE_URL
// points at (a role that may create roles and databases). A scratch database is migrated,
// introspected with kysely-codegen and dropped. `--check` compares instead of writing, for CI.
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as KyselyCjs from 'kysely' with { 'resolution-mode': 'require' };
import { generate, PostgresDialect as CodegenPostgresDialect, type CreateKyselyDialectOptions } from 'kysely-codegen';
import type pg from 'pg';
import prettier from 'prettier';
import { startEmbedded } from '../src/core/db/embedded.ts';
import { migrate } from '../src/core/db/migrate.ts';
import { createPool, quoteIdent } from '../src/core/db/pool.ts';
import { DEV_ROLE_PASSWORDS, OWNER_ROLE, ensureRoles, roleUrls, withAdminClient } from '../src/core/db/roles.ts';

const OUT_NAME = 'src/core/db/generated.ts';
const OUT_FILE = path.resolve(import.meta.dirname, '..', OUT_NAME);
const check = process.argv.includes('--check');

/**
 * Text columns whose values are held by something other than a CHECK constraint (the workflow
 * tables, and counts kept by a trigger): they take the values of the checked column named here.
 */
const SAME_VALUES_AS: Record<string, string> = {
  'invoice_transitions.from_status': 'invoices.status',
  'invoice_transitions.to_status': 'invoices.status',
  'invoice_status_history.from_status': 'invoices.status',
  'invoice_status_history.to_status': 'invoices.status',
  'invoice_status_counts.status': 'invoices.status',
  'payout_transitions.from_status': 'payouts.status',
  'payout_transitions.to_status': 'payouts.status',
  'payout_status_history.from_status': 'payouts.status',
  'payout_status_history.to_status': 'payouts.status',
};

/** Columns a trigger keeps, which the app never writes (the audit log's hash chain: migration 0015). */
const READ_ONLY = new Set(['invoice_status_counts.n', 'audit_log.chain_seq', 'audit_log.prev_hash', 'audit_log.hash']);

/**
 * Generated columns that are never null although PostgreSQL does not record it: they are computed
 * by strict functions from NOT NULL columns (vendors.tax_id_normalized from tax_id).
 */
const NEVER_NULL = new Set(['vendors.tax_id_normalized']);

type ColumnInfo = {
  table: string;
  column: string;
  type: string;
  nullable: boolean;
  has_default: boolean;
  generated_always: boolean;
  checks: string[];
};

async function readColumns(client: pg.ClientBase): Promise<ColumnInfo[]> {
  const r = await client.query<ColumnInfo>(`
    select c.relname as table, a.attname as column, t.typname as type, not a.attnotnull as nullable,
           a.atthasdef as has_default, (a.attgenerated = 's' or a.attidentity = 'a') as generated_always,
           array(select pg_get_constraintdef(k.oid) from pg_constraint k
                  where k.conrelid = c.oid and k.contype = 'c' and k.conkey = array[a.attnum]
                  order by k.conname) as checks
      from pg_class c
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      join pg_type t on t.oid = a.atttypid
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'v', 'm')
     order by c.relname, a.attnum`);
  return r.rows;
}

// `col in ('a', 'b')` and `col is null or col in (...)`, as pg_get_constraintdef prints them.
const IN_LIST =
  /^CHECK \(+(?:\((\w+) IS NULL\) OR )?\((\w+) = ANY \(ARRAY\[((?:'(?:[^']|'')*'::text(?:, )?)+)\]\)\)\)+$/;

function valuesOfCheck(column: string, def: string): string[] | null {
  const m = IN_LIST.exec(def);
  if (!m || m[2] !== column || (m[1] !== undefined && m[1] !== column)) return null;
  return [...(m[3] ?? '').matchAll(/'((?:[^']|'')*)'::text/g)].map((v) => (v[1] ?? '').replace(/''/g, "'"));
}

/** What the columns read as, for the ones whose type the overrides below spell out. */
const SCALARS: Record<string, string> = {
  text: 'string',
  uuid: 'string',
  int4: 'number',
  int8: 'string',
  bytea: 'Buffer',
};

function checkedValues(columns: ColumnInfo[]): Map<string, string[]> {
  const unions = new Map<string, string[]>();
  for (const c of columns) {
    if (c.type !== 'text') continue;
    const lists = c.checks.map((def) => valuesOfCheck(c.column, def)).filter((v) => v !== null);
    if (lists.length > 1) throw new Error(`${c.table}.${c.column}: more than one CHECK lists its values`);
    if (lists[0]) unions.set(`${c.table}.${c.column}`, lists[0]);
  }
  for (const [col, from] of Object.entries(SAME_VALUES_AS)) {
    const values = unions.get(from);
    if (!values) throw new Error(`${col} takes its values from ${from}, which has no CHECK listing them`);
    if (unions.has(col)) throw new Error(`${col} has a CHECK of its own: remove it from SAME_VALUES_AS`);
    unions.set(col, values);
  }
  return unions;
}

/**
 * Where kysely-codegen's default is wider than what the database allows or the app relies on:
 * - a text column whose CHECK constraint lists its values reads as that union, not string;
 * - json and jsonb are written as text the app serialised itself (an array passed as is would
 *   reach pg as a PostgreSQL array literal), and read as the JSON value PostgreSQL sent;
 * - a column PostgreSQL computes (generated always, identity always) or a trigger keeps
 *   (READ_ONLY) cannot be inserted or set.
 */
function overridesFor(columns: ColumnInfo[]): Record<string, string> {
  const unions = checkedValues(columns);
  const known = new Set(columns.map((c) => `${c.table}.${c.column}`));
  for (const col of [...Object.keys(SAME_VALUES_AS), ...READ_ONLY, ...NEVER_NULL]) {
    if (!known.has(col)) throw new Error(`scripts/codegen.ts names ${col}, which is gone`);
  }
  const overrides: Record<string, string> = {};
  for (const c of columns) {
    const col = `${c.table}.${c.column}`;
    if (NEVER_NULL.has(col) && !(c.generated_always && c.nullable)) {
      throw new Error(`${col} is in NEVER_NULL but is not a nullable generated column: remove it`);
    }
    const orNull = c.nullable && !NEVER_NULL.has(col) ? ' | null' : '';
    const values = unions.get(col);
    if (c.generated_always || READ_ONLY.has(col)) {
      const scalar = SCALARS[c.type];
      if (!scalar || values) throw new Error(`${col}: a read-only ${c.type} column is not handled here`);
      overrides[col] = `ColumnType<${scalar}${orNull}, never, never>`;
      continue;
    }
    const type = values
      ? values.map((v) => JSON.stringify(v)).join(' | ')
      : c.type === 'json' || c.type === 'jsonb'
        ? 'ColumnType<JsonValue, string, string>'
        : null;
    if (type) overrides[col] = c.has_default ? `Generated<${type}${orNull}>` : `${type}${orNull}`;
  }
  return overrides;
}

// kysely-codegen is CommonJS: the Kysely dialect it runs must come from kysely's CommonJS build.
const { PostgresDialect } = createRequire(import.meta.url)('kysely') as typeof KyselyCjs;

/** kysely-codegen's own pool has no 'error' listener: dropping the scratch database would crash it. */
class CodegenDialect extends CodegenPostgresDialect {
  override async createKyselyDialect(options: CreateKyselyDialectOptions) {
    return new PostgresDialect({
      pool: createPool(options.connectionString, 2, { error: () => undefined }, 'ledgerworks-codegen'),
    });
  }
}

async function generateTypes(ownerUrl: string): Promise<string> {
  const overrides = overridesFor(await withAdminClient(ownerUrl, readColumns));
  // Dates stay 'YYYY-MM-DD' strings (see the type parsers in src/core/db/pool.ts).
  const dialect = new CodegenDialect({ dateParser: 'string', numericParser: 'string' });
  const db = await dialect.introspector.connect({ connectionString: ownerUrl, dialect });
  try {
    const source = await generate({
      db,
      dialect,
      defaultSchemas: ['public'],
      // graphile-worker's schema is its own (the app reaches it through its functions), and
      // schema_migrations belongs to the migration runner, which reads it with plain SQL.
      includePattern: 'public.*',
      excludePattern: 'public.schema_migrations',
      overrides: { columns: overrides },
      outFile: null,
    });
    const config = await prettier.resolveConfig(OUT_FILE);
    return await prettier.format(source, { ...config, filepath: OUT_FILE });
  } finally {
    await db.destroy();
  }
}

const external = process.env.DATABASE_URL;
const embedded = external
  ? null
  : await startEmbedded({
      dir: 'var/pg-codegen',
      port: Number(process.env.CODEGEN_PG_PORT ?? 54349),
      log: () => undefined,
    });
const adminUrl = external ?? embedded!.adminUrl;
const database = `lw_codegen_${process.pid}`;

let code = 0;
try {
  await withAdminClient(adminUrl, async (c) => {
    await ensureRoles(c, DEV_ROLE_PASSWORDS);
    await c.query(`create database ${quoteIdent(database)} owner ${OWNER_ROLE}`);
  });
  const { ownerUrl } = roleUrls(adminUrl, database, DEV_ROLE_PASSWORDS);
  await migrate(ownerUrl);
  const source = await generateTypes(ownerUrl);
  if (check) {
    const committed = await readFile(OUT_FILE, 'utf8').catch(() => '');
    if (committed !== source) {
      const have = committed.split('\n');
      const line = source.split('\n').findIndex((l, i) => l !== have[i]) + 1;
      process.stderr.write(`${OUT_NAME} is out of date: run npm run db:codegen (first difference: line ${line})\n`);
      code = 1;
    } else {
      process.stdout.write(`${OUT_NAME} is up to date\n`);
    }
  } else {
    await writeFile(OUT_FILE, source);
    process.stdout.write(`wrote ${OUT_NAME}\n`);
  }
} finally {
  await withAdminClient(adminUrl, (c) => c.query(`drop database if exists ${quoteIdent(database)} with (force)`)).catch(
    (err: unknown) => process.stderr.write(`cleanup failed: ${String(err)}\n`),
  );
  await embedded?.stop();
}
process.exit(code);
