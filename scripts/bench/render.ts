// Rendering: a 100-row table page through the real layout (preact-render-to-string).
import { performance } from 'node:perf_hooks';
import { jsx } from 'preact/jsx-runtime';
import type { RunRow } from '../../src/core/tasks/runs.ts';
import type { PageContext } from '../../src/core/views/context.ts';
import { Layout } from '../../src/core/views/layout.tsx';
import { renderToString } from '../../src/core/views/render.ts';
import { RunTable } from '../../src/modules/orgs/activity-views.tsx';
import { report } from './report.ts';

export function benchRender() {
  const ctx: PageContext = {
    nonce: 'bench',
    csrfToken: 'bench',
    requestId: 'bench',
    path: '/o/bench',
    flash: [],
    orgNav: [],
    devTools: false,
    viewer: {
      id: 'u',
      email: 'u@example.test',
      name: 'Bench User',
      timeZone: 'Europe/Paris',
      staffRole: null,
      twoFactorEnabled: false,
      authenticatedAt: new Date(),
      staffSeenAt: null,
      orgs: [],
      lastOrgId: null,
      impersonation: null,
    },
    org: { id: 'o', slug: 'bench', name: 'Bench Org', role: 'owner', require2fa: false },
  };
  const runs: (RunRow & { label: string })[] = Array.from({ length: 100 }, (_, i) => ({
    id: `id-${i}`,
    org_id: 'o',
    task: 'mail.deliver',
    status: i % 3 ? 'succeeded' : 'running',
    input: {},
    result: null,
    error: null,
    attempts: 1,
    max_attempts: 5,
    progress_done: i,
    progress_total: 100,
    created_by: null,
    created_at: new Date(),
    started_at: new Date(),
    finished_at: null,
    updated_at: new Date(),
    retry_of: null,
    job_id: null,
    started_by_name: null,
    retried_by: null,
    label: 'Import invoices',
  }));
  const page = () => jsx(Layout, { ctx, title: 'Bench', children: jsx(RunTable, { runs, zone: 'Europe/Paris' }) });
  for (let i = 0; i < 200; i++) renderToString(page());
  const start = performance.now();
  const renders = 2000;
  for (let i = 0; i < renders; i++) renderToString(page());
  report('render 100-row page', renders, performance.now() - start);
}
