import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { runMigrations as runWorkerMigrations } from 'graphile-worker';
import { createPool } from './pool.ts';
import { RUNTIME_GROUP } from './roles.ts';

// Why our own runner: the rules we need are few (numbered SQL files, a checksum that
// makes an edited applied migration an error, one transaction per file including its
// record, an advisory lock against two deployers) and fit in this file.

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../../migrations');
const LOCK_KEY = 7_346_221_904; // any constant; shared by every process that migrates

export type MigrationFile = { version: number; name: string; file: string; sql: string; checksum: string };
export type MigrationState = 'applied' | 'pending' | 'edited';
export type MigrationStatus = {
  migrations: { file: string; state: MigrationState; appliedAt: Date | null }[];
  missing: string[];
};

export class MigrationError extends Error {
  override name = 'MigrationError';
}

const FILE_RE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const seen = new Map<number, string>();
  const out: MigrationFile[] = [];
  for (const file of files) {
    const m = FILE_RE.exec(file);
    if (!m) throw new MigrationError(`${file}: migration files are named NNNN_snake_case.sql`);
    const version = Number(m[1]);
    const clash = seen.get(version);
    if (clash) throw new MigrationError(`${file} and ${clash} share the number ${m[1]}`);
    seen.set(version, file);
    const sql = await readFile(path.join(dir, file), 'utf8');
    out.push({ version, name: m[2] ?? '', file, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return out;
}

/** Finds a migration by number ("1", "0001") or file name, for `ledgerworks sql NAME`. */
export async function findMigration(nameOrNumber: string, dir = MIGRATIONS_DIR): Promise<MigrationFile> {
  const all = await readMigrations(dir);
  const found = all.find(
    (m) =>
      m.file === nameOrNumber ||
      m.file === `${nameOrNumber}.sql` ||
      (/^\d+$/.test(nameOrNumber) && m.version === Number(nameOrNumber)) ||
      m.name === nameOrNumber,
  );
  if (!found)
    throw new MigrationError(`no migration named ${nameOrNumber}; known: ${all.map((m) => m.file).join(', ')}`);
  return found;
}

async function ensureTable(client: pg.ClientBase): Promise<void> {
  await client.query(`create table if not exists schema_migrations (
    version integer primary key,
    name text not null,
    checksum text not null,
    applied_at timestamptz not null default now()
  )`);
  await client.query(`grant select on schema_migrations to ${RUNTIME_GROUP}`);
}

async function applied(
  client: pg.ClientBase,
): Promise<Map<number, { checksum: string; name: string; applied_at: Date }>> {
  const exists = await client.query<{ ok: boolean }>(`select to_regclass('schema_migrations') is not null as ok`);
  if (!exists.rows[0]?.ok) return new Map();
  const r = await client.query<{ version: number; name: string; checksum: string; applied_at: Date }>(
    'select version, name, checksum, applied_at from schema_migrations order by version',
  );
  return new Map(r.rows.map((row) => [row.version, row]));
}

export async function migrationStatus(client: pg.ClientBase, dir = MIGRATIONS_DIR): Promise<MigrationStatus> {
  return statusOf(await readMigrations(dir), await applied(client));
}

function statusOf(files: MigrationFile[], done: Awaited<ReturnType<typeof applied>>): MigrationStatus {
  const fileVersions = new Set(files.map((f) => f.version));
  return {
    migrations: files.map((f) => {
      const row = done.get(f.version);
      const state: MigrationState = !row ? 'pending' : row.checksum === f.checksum ? 'applied' : 'edited';
      return { file: f.file, state, appliedAt: row?.applied_at ?? null };
    }),
    missing: [...done.entries()]
      .filter(([v]) => !fileVersions.has(v))
      .map(([v, row]) => `${String(v).padStart(4, '0')}_${row.name}.sql`),
  };
}

function refuseDrift(status: MigrationStatus): void {
  const edited = status.migrations.filter((m) => m.state === 'edited').map((m) => m.file);
  if (edited.length) {
    throw new MigrationError(
      `refusing to migrate: ${edited.join(', ')} changed after it was applied (checksum differs). ` +
        'Applied migrations are history: undo the edit and put the change in a new migration.',
    );
  }
  if (status.missing.length) {
    throw new MigrationError(`refusing to migrate: ${status.missing.join(', ')} was applied here but its file is gone`);
  }
}

/**
 * Applies pending migrations in order, each in its own transaction together with
 * its record, then installs graphile-worker's schema and grants it to the runtime role.
 */
export async function migrate(
  ownerUrl: string,
  opts: { dir?: string; log?: (msg: string) => void } = {},
): Promise<string[]> {
  const dir = opts.dir ?? MIGRATIONS_DIR;
  const log = opts.log ?? (() => undefined);
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'ledgerworks-migrate' });
  client.on('error', () => undefined);
  await client.connect();
  const appliedNow: string[] = [];
  try {
    await client.query('select pg_advisory_lock($1)', [LOCK_KEY]);
    await ensureTable(client);
    const files = await readMigrations(dir);
    const status = statusOf(files, await applied(client));
    refuseDrift(status);
    const pending = new Set(status.migrations.filter((m) => m.state === 'pending').map((m) => m.file));
    for (const m of files.filter((f) => pending.has(f.file))) {
      log(`applying ${m.file}`);
      await client.query('begin');
      try {
        await client.query(m.sql);
        await client.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
          m.version,
          m.name,
          m.checksum,
        ]);
        await client.query('commit');
      } catch (err) {
        await client.query('rollback');
        throw new MigrationError(`${m.file} failed and was rolled back: ${(err as Error).message}`, { cause: err });
      }
      appliedNow.push(m.file);
    }
    await installWorkerSchema(ownerUrl, client);
  } finally {
    await client.query('select pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
  return appliedNow;
}

async function installWorkerSchema(ownerUrl: string, client: pg.ClientBase): Promise<void> {
  const pool = createPool(ownerUrl, 2, { error: () => undefined }, 'ledgerworks-migrate');
  try {
    await runWorkerMigrations({ pgPool: pool });
  } finally {
    await pool.end();
  }
  await client.query(`
    grant usage on schema graphile_worker to ${RUNTIME_GROUP};
    grant select, insert, update, delete on all tables in schema graphile_worker to ${RUNTIME_GROUP};
    grant usage, select, update on all sequences in schema graphile_worker to ${RUNTIME_GROUP};
    grant execute on all functions in schema graphile_worker to ${RUNTIME_GROUP};
  `);
  // graphile-worker enables row-level security on its private tables (so an API layer
  // cannot expose them); the worker itself runs as our runtime role and needs all rows.
  await client.query(`
    do $$
    declare t record;
    begin
      for t in select c.relname from pg_class c
                where c.relnamespace = 'graphile_worker'::regnamespace and c.relkind = 'r' and c.relrowsecurity
      loop
        if not exists (select 1 from pg_policies where schemaname = 'graphile_worker' and tablename = t.relname and policyname = 'ledgerworks_runtime_all') then
          execute format('create policy ledgerworks_runtime_all on graphile_worker.%I to ${RUNTIME_GROUP} using (true) with check (true)', t.relname);
        end if;
      end loop;
    end $$;
  `);
}

// The migrations this build ships cannot change while it runs: read them once, not on every probe.
let shipped: Promise<MigrationFile[]> | null = null;

/** True when every migration this build ships is applied unchanged; used by /readyz. */
export async function migrationsCurrent(client: pg.ClientBase): Promise<boolean> {
  shipped ??= readMigrations(MIGRATIONS_DIR);
  const status = statusOf(await shipped, await applied(client));
  return status.missing.length === 0 && status.migrations.every((m) => m.state === 'applied');
}
