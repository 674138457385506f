import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type pg from 'pg';
import type { Db } from '../db/pool.ts';
import { migrationsCurrent } from '../db/migrate.ts';
import { NotFoundError } from '../http/errors.ts';
import { registry, tasksByState } from './metrics.ts';
import { taskRunCounts } from '../tasks/runs.ts';

const HEARTBEAT_FRESH_SECONDS = 60;

/** Constant-time comparison, so response timing does not reveal the token. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export type Readiness = { ready: boolean; checks: Record<string, { ok: boolean; detail?: string }> };

export async function readiness(db: Db, pool: pg.Pool): Promise<Readiness> {
  const checks: Readiness['checks'] = {};
  try {
    await sql`select 1`.execute(db);
    checks.database = { ok: true };
  } catch (err) {
    checks.database = { ok: false, detail: (err as Error).message };
    return { ready: false, checks };
  }
  const client = await pool.connect();
  try {
    const current = await migrationsCurrent(client);
    checks.migrations = current
      ? { ok: true }
      : { ok: false, detail: 'pending or edited migrations: run `ledgerworks migrate`' };
  } finally {
    client.release();
  }
  const beat = await sql<{
    age: number | null;
  }>`select extract(epoch from now() - max(last_seen_at))::float8 as age from worker_heartbeats`.execute(db);
  const age = beat.rows[0]?.age ?? null;
  checks.worker =
    age !== null && age < HEARTBEAT_FRESH_SECONDS
      ? { ok: true, detail: `last heartbeat ${Math.round(age)}s ago` }
      : { ok: false, detail: age === null ? 'no worker has reported' : `last heartbeat ${Math.round(age)}s ago` };
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}

/** /healthz (process alive), /readyz (dependencies), /metrics (Prometheus, token-protected in production). */
export function registerHealth(
  app: FastifyInstance,
  deps: { db: Db; pool: pg.Pool; production: boolean; metricsToken: string | undefined },
): void {
  app.get('/healthz', { logLevel: 'warn', config: { access: 'public', rateLimit: false } }, async () => ({
    status: 'ok',
  }));

  app.get('/readyz', { logLevel: 'warn', config: { access: 'public' } }, async (_request, reply) => {
    const r = await readiness(deps.db, deps.pool);
    return reply.code(r.ready ? 200 : 503).send({ status: r.ready ? 'ready' : 'not ready', checks: r.checks });
  });

  app.get('/metrics', { logLevel: 'warn', config: { access: 'public' } }, async (request, reply) => {
    if (deps.production) {
      const expected = deps.metricsToken ? `Bearer ${deps.metricsToken}` : null;
      if (!expected || !sameSecret(request.headers.authorization ?? '', expected)) throw new NotFoundError();
    }
    tasksByState.reset();
    for (const { status, count } of await taskRunCounts(deps.db)) tasksByState.set({ state: status }, count);
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
