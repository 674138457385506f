// Test support: a database of its own per test file (cloned from the migrated template
// that scripts/test.ts prepares), the real app, and a cookie-keeping client.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { after, before } from 'node:test';
import type { FastifyBaseLogger, FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type pg from 'pg';
import { appServices, type AppServices } from '../core/app-services.ts';
import { describeBreak, verifyAuditLog } from '../core/audit/verify.ts';
import { loadSettings, type Settings } from '../core/config/settings.ts';
import { createDb, createPool, quoteIdent, type Db } from '../core/db/pool.ts';
import { DEV_ROLE_PASSWORDS, roleUrls, withAdminClient } from '../core/db/roles.ts';
import type { RunnableTask } from '../core/tasks/tasks.ts';
import { startWorker, type Worker } from '../core/tasks/worker.ts';
import { buildServer, TASKS } from '../server.ts';

export type TestDb = {
  name: string;
  appUrl: string;
  ownerUrl: string;
  /** Runtime role: row-level security applies. */
  db: Db;
  pool: pg.Pool;
  /** Owner role: sees everything, for assertions. */
  owner: Db;
  ownerPool: pg.Pool;
};

const quiet = { error: () => undefined };

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run tests with npm test`);
  return v;
}

export async function createTestDb(): Promise<TestDb & { drop: () => Promise<void> }> {
  const adminUrl = env('LW_TEST_ADMIN_URL');
  const name = `${env('LW_TEST_PREFIX')}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(adminUrl, (c) =>
    c.query(`create database ${quoteIdent(name)} template ${quoteIdent(env('LW_TEST_TEMPLATE'))}`),
  );
  const { appUrl, ownerUrl } = roleUrls(adminUrl, name, DEV_ROLE_PASSWORDS);
  const pool = createPool(appUrl, 10, quiet);
  const ownerPool = createPool(ownerUrl, 3, quiet);
  const t = { name, appUrl, ownerUrl, pool, ownerPool, db: createDb(pool), owner: createDb(ownerPool) };
  return {
    ...t,
    drop: async () => {
      await t.db.destroy();
      await t.owner.destroy();
      await withAdminClient(adminUrl, (c) => c.query(`drop database if exists ${quoteIdent(name)} with (force)`));
    },
  };
}

/** A complete, valid production configuration; tests change one value to see it refused. */
export const PRODUCTION_ENV: Readonly<Record<string, string>> = {
  NODE_ENV: 'production',
  SECRET_KEY: 'q8Vd2LxN7pR4tZ1mW9cY6bH3kJ5sF0gA-e_',
  DATABASE_URL: 'postgres://ledgerworks_app@db/ledgerworks',
  ALLOWED_HOSTS: 'ledgerworks.example.com',
  BASE_URL: 'https://ledgerworks.example.com',
  SMTP_URL: 'smtp://mail.example.com:587',
};

export function testSettings(overrides: Record<string, string> = {}): Settings {
  return loadSettings({ NODE_ENV: 'test', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...overrides });
}

export type TestApp = TestDb & {
  app: FastifyInstance;
  settings: Settings;
  /** What the app derived from its settings (links, secret keys, mail): its worker's tasks get the same. */
  services: AppServices;
  startWorker: () => Promise<Worker>;
};

/**
 * Registers before/after hooks that give this file a database and the app on it. At the end, every
 * hash chain of the audit log must hold, whatever the file did through the app: a file that breaks
 * chains on purpose (as a superuser, past the triggers) says so with `tampersWithAuditLog`.
 */
export function useTestApp(
  overrides: Record<string, string> = {},
  opts: { tampersWithAuditLog?: boolean } = {},
): TestApp {
  const ctx = {} as TestApp;
  const workers: Worker[] = [];
  let drop: () => Promise<void> = async () => undefined;
  before(async () => {
    const t = await createTestDb();
    drop = t.drop;
    const settings = testSettings(overrides);
    const services = appServices(settings);
    const app = await buildServer({ settings, db: t.db, pool: t.pool, services });
    await app.ready();
    Object.assign(ctx, t, {
      app,
      settings,
      services,
      startWorker: async () => {
        const w = await startTestWorker(t, services, app.log);
        workers.push(w);
        return w;
      },
    });
  });
  after(async () => {
    for (const w of workers) await w.stop();
    try {
      if (ctx.db && !opts.tampersWithAuditLog) {
        const v = await verifyAuditLog(ctx.db);
        if (!v.ok) throw new Error(`the audit log's hash chains are broken: ${v.breaks.map(describeBreak).join('; ')}`);
      }
    } finally {
      await ctx.app?.close();
      await drop();
    }
  });
  return ctx;
}

/**
 * A worker on the test database `t` that polls every 100 ms: the app's tasks, two at a time,
 * unless told otherwise. The caller stops it.
 */
export function startTestWorker(
  t: Pick<TestDb, 'appUrl' | 'db'>,
  services: AppServices,
  log: FastifyBaseLogger,
  opts: { tasks?: readonly RunnableTask[]; concurrency?: number } = {},
): Promise<Worker> {
  return startWorker({
    connectionString: t.appUrl,
    db: t.db,
    services,
    tasks: opts.tasks ?? TASKS,
    concurrency: opts.concurrency ?? 2,
    log,
    pollInterval: 100,
  });
}

/** A browser-like client: keeps cookies, and sends the CSRF token of the last page it loaded. */
export class Agent {
  cookies = new Map<string, string>();
  csrf: string | null = null;
  /** The submission key of the last form seen; post(..., { submission }) sends one explicitly. */
  submissionKey: string | null = null;
  constructor(
    private readonly app: FastifyInstance,
    private readonly ip = '127.0.0.1',
  ) {}

  async request(opts: InjectOptions): Promise<LightMyRequestResponse> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await this.app.inject({
      remoteAddress: this.ip,
      ...opts,
      headers: { accept: 'text/html', ...(cookie ? { cookie } : {}), ...opts.headers },
    });
    for (const c of res.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      if ((c.expires && c.expires.getTime() < Date.now()) || c.maxAge === 0 || c.value === '')
        this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrf = token;
    const key = /name="_submission" value="([^"]+)"/.exec(res.body)?.[1];
    if (key) this.submissionKey = key;
    return res;
  }

  get(url: string, headers: Record<string, string> = {}) {
    return this.request({ method: 'GET', url, headers });
  }

  /** Posts a form the way a browser does, with the page's CSRF token unless told otherwise. */
  post(
    url: string,
    fields: Record<string, string>,
    opts: { csrf?: boolean; submission?: string; headers?: Record<string, string> } = {},
  ) {
    const all: Record<string, string> = { ...fields };
    if (opts.csrf !== false && this.csrf) all._csrf = this.csrf;
    if (opts.submission) all._submission = opts.submission;
    const body = new URLSearchParams(all).toString();
    return this.request({
      method: 'POST',
      url,
      payload: body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...opts.headers },
    });
  }

  cookie(suffix: string): string | undefined {
    for (const [k, v] of this.cookies) if (k.endsWith(suffix)) return v;
    return undefined;
  }
}

export type SignUpForm = { name: string; email: string; password: string; organization: string };

/** Fills in the sign-up form as `agent` (loading it first, for its CSRF token); the app's answer, whatever it is. */
export async function postSignUp(agent: Agent, fields: SignUpForm): Promise<LightMyRequestResponse> {
  await agent.get('/signup');
  return agent.post('/signup', fields);
}

let counter = 0;
/** Signs up a fresh person with their own org through the real form; returns their agent and org slug. */
export async function signUp(app: FastifyInstance, opts: { name?: string; org?: string; ip?: string } = {}) {
  counter += 1;
  const email = `person${counter}.${randomBytes(3).toString('hex')}@example.test`;
  const password = 'correct horse battery staple';
  const agent = new Agent(app, opts.ip ?? `10.0.${Math.floor(counter / 250)}.${counter % 250}`);
  const res = await postSignUp(agent, {
    name: opts.name ?? `Person ${counter}`,
    email,
    password,
    organization: opts.org ?? `Org ${counter}`,
  });
  if (res.statusCode !== 303) throw new Error(`sign-up failed: ${res.statusCode} ${res.body.slice(0, 500)}`);
  const slug = String(res.headers.location).replace(/^\/o\//, '');
  return { agent, email, password, slug };
}

/** Polls until check() is truthy (for background work); fails with a message after `ms`. */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  ms = 10_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Until some session waits for a lock that the session `holderPid` holds (a request queued
 * behind a row a test locked). pg_blocking_pids, because pg_stat_activity hides another role's
 * wait events from the owner role.
 */
export async function waitingForLock(t: Pick<TestDb, 'owner'>, holderPid: number, what: string): Promise<void> {
  await eventually(
    async () => {
      const r = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
        where ${holderPid}::int = any(pg_blocking_pids(pid))`.execute(t.owner);
      return r.rows[0]!.n > 0;
    },
    5000,
    what,
  );
}
