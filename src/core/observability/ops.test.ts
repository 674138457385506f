import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHttpApp } from '../http/app.ts';
import { appContext, buildCatalog } from '../module.ts';
import { Agent, signUp, useTestApp } from '../../testing/harness.ts';

const t = useTestApp();

describe('operations endpoints', () => {
  it('/healthz answers JSON while the process is alive', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  it('/readyz is 503 without a worker heartbeat, 200 once a worker runs', async () => {
    const before = await t.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(before.statusCode, 503);
    const body = before.json<{ checks: Record<string, { ok: boolean }> }>();
    assert.equal(body.checks.database?.ok, true);
    assert.equal(body.checks.migrations?.ok, true);
    assert.equal(body.checks.worker?.ok, false);
    const worker = await t.startWorker();
    const after = await t.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(after.statusCode, 200, after.body);
    await worker.stop();
  });

  it('/metrics serves Prometheus text with request durations by route and task counts', async () => {
    await new Agent(t.app).get('/login');
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /ledgerworks_http_request_duration_seconds_bucket\{[^}]*route="\/login"/);
    assert.match(res.body, /# TYPE ledgerworks_tasks gauge/);
  });

  it('every response has Server-Timing with total and database time', async () => {
    const { agent, slug } = await signUp(t.app);
    const res = await agent.get(`/o/${slug}`);
    const timing = String(res.headers['server-timing']);
    assert.match(timing, /db;dur=\d+(\.\d+)?;desc="\d+ queries"/);
    assert.match(timing, /total;dur=\d+(\.\d+)?/);
    const queries = Number(/desc="(\d+) queries"/.exec(timing)?.[1]);
    assert.ok(queries > 0, 'the dashboard reads the database');
  });

  it('a 404 is a friendly page that shows the request id', async () => {
    const res = await new Agent(t.app).get('/nowhere');
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /Page not found/);
    assert.ok(res.body.includes(String(res.headers['x-request-id'])));
  });

  it('an unexpected error is a friendly 500 page with the request id, and no internals', async () => {
    const app = await createHttpApp(appContext({ db: t.db, pool: t.pool }, t.services, buildCatalog([])));
    app.get('/boom', { config: { access: 'public' } }, async () => {
      throw new Error('secret internals: connection string postgres://x');
    });
    await app.ready();
    const res = await app.inject({ method: 'GET', url: '/boom', headers: { accept: 'text/html' } });
    await app.close();
    assert.equal(res.statusCode, 500);
    assert.match(res.body, /Something went wrong/);
    assert.ok(res.body.includes(String(res.headers['x-request-id'])));
    assert.doesNotMatch(res.body, /secret internals/);
  });

  it('a stored time zone that no longer exists does not break pages (times fall back to UTC)', async () => {
    const { agent, slug, email } = await signUp(t.app);
    await t.owner.updateTable('users').set({ time_zone: 'Mars/Olympus_Mons' }).where('email', '=', email).execute();
    const page = await agent.get(`/o/${slug}/activity`);
    assert.equal(page.statusCode, 200);
    const times = [...page.body.matchAll(/<time datetime="([^"]+)"[^>]*>([^<]+)<\/time>/g)];
    assert.ok(times.length > 0, 'the activity page shows when things happened');
    const utc = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
    for (const [, instant, shown] of times) assert.equal(shown, utc.format(new Date(instant!)), `${instant} in UTC`);
  });

  it('API clients get JSON errors', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/nowhere', headers: { accept: 'application/json' } });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json<{ error: string }>().error, 'Page not found');
  });
});
