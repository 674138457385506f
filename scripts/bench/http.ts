// HTTP: the sign-in page and an org dashboard through the whole Fastify stack, in-process.
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../../src/testing/harness.ts';
import { report } from './report.ts';

export async function benchHttp(app: FastifyInstance, agent: Agent, dashboard: string) {
  for (const [name, url, who] of [
    ['GET /login (anonymous)', '/login', new Agent(app)],
    ['GET dashboard (signed in, org)', dashboard, agent],
  ] as const) {
    for (let i = 0; i < 100; i++) await who.get(url);
    const n = 2000;
    const lat: number[] = [];
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const r = await who.get(url);
      if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode}`);
      lat.push(performance.now() - t0);
    }
    report(name, n, performance.now() - start, lat);
  }
}
