// The back-office list of task runs: every org's, and the scheduled ones that belong to no org.
// The failing ones first by default, since those are what an operator comes for.
import { sql, type SqlBool } from 'kysely';
import { None, OrgLink, recordHref, When } from '../admin/cells.tsx';
import { defineList, ORG_FILTER, timeSorts, valueOptions } from '../admin/lists.ts';
import { Badge } from '../views/components.tsx';
import { taskRunRecord } from './admin-record.tsx';
import type { TaskStatus } from './runs.ts';
import { TASK_STATUS as STATUS, TASK_STATUSES as STATUSES } from './task-status.ts';

export const taskRunsList = defineList({
  name: 'task-runs',
  title: 'Task runs',
  area: 'Operations',
  order: 1,
  description: 'Background work of every org and of the platform (schedules, cleanups), with errors.',
  query: (tx) =>
    tx
      .selectFrom('task_runs as r')
      .leftJoin('organizations as o', 'o.id', 'r.org_id')
      .select([
        'r.id',
        'r.task',
        'r.status',
        'r.attempts',
        'r.max_attempts',
        'r.error',
        'r.created_at',
        'r.finished_at',
        'o.slug',
        'o.name as org_name',
      ]),
  key: [{ column: 'r.id', type: 'uuid' }],
  sorts: timeSorts('r.created_at'),
  search: {
    label: 'Task',
    hint: 'The start of the task name, e.g. imports. or platform.cleanup',
    fields: [{ column: 'r.task', match: 'prefix' }],
  },
  filters: [
    {
      kind: 'choice',
      name: 'status',
      label: 'Status',
      options: valueOptions('r.status', STATUSES, (s) => STATUS[s as TaskStatus].label),
    },
    ORG_FILTER,
    {
      kind: 'choice',
      name: 'scope',
      label: 'Belongs to',
      options: [
        { value: 'org', label: 'An organization', where: sql<SqlBool>`r.org_id is not null` },
        { value: 'platform', label: 'No org (platform)', where: sql<SqlBool>`r.org_id is null` },
      ],
    },
    { kind: 'dates', name: 'created', label: 'Queued', column: 'r.created_at' },
  ],
  columns: ({ zone }) => [
    {
      header: 'Task',
      class: 'nowrap',
      href: recordHref('task-runs', { tenant: false }),
      cell: (r) => <code>{r.task}</code>,
    },
    {
      header: 'Organization',
      cell: (r) =>
        r.slug ? <OrgLink slug={r.slug} name={r.org_name ?? undefined} /> : <span class="muted">platform</span>,
    },
    { header: 'Status', cell: (r) => <Badge tone={STATUS[r.status].tone}>{STATUS[r.status].label}</Badge> },
    { header: 'Attempts', num: true, cell: (r) => `${r.attempts} / ${r.max_attempts}` },
    { header: 'Error', class: 'break small', cell: (r) => (r.error ? r.error.slice(0, 200) : <None />) },
    { header: 'Queued', class: 'nowrap', cell: (r) => <When value={r.created_at} zone={zone} /> },
    { header: 'Finished', class: 'nowrap', secondary: true, cell: (r) => <When value={r.finished_at} zone={zone} /> },
  ],
  record: taskRunRecord,
  empty: {
    title: 'No task runs yet',
    hint: 'Runs appear when a task is queued: an import, an export, a nightly cleanup.',
  },
});
