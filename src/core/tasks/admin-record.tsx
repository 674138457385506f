// A task run's page in the back-office: what ran, for which org, with what input (secrets masked),
// how each attempt went, when its job runs next, and what an operator may do to it. Every run is
// addressed by its id alone (/staff/task-runs/:runId), since the scheduled ones belong to no org.
import type { ComponentChildren } from 'preact';
import { None, OrgLink, PersonLink, RecordLink, When } from '../admin/cells.tsx';
import type { Offer, RecordDecl, RecordView } from '../admin/record-types.ts';
import { maskSecrets } from '../audit/audit.ts';
import { Badge } from '../views/components.tsx';
import { cancelRun, jobOfRun, retryRunNow, RUN_ACTIONS } from './run-actions.ts';
import type { TaskStatus } from './runs.ts';
import { TASK_STATUS } from './task-status.ts';

/** Ids in a task's input that have a back-office page: the list, and whether it is addressed under the org. */
const LINKED: Record<string, { list: string; tenant: boolean }> = {
  messageId: { list: 'mail', tenant: false },
  invoiceId: { list: 'invoices', tenant: true },
  payoutId: { list: 'payouts', tenant: true },
  importId: { list: 'imports', tenant: true },
  vendorId: { list: 'vendors', tenant: true },
};
const PEOPLE = new Set(['userId', 'actorId']);
const SHOWN = 160;

function inputValue(key: string, value: unknown, orgId: string | null): ComponentChildren {
  if (typeof value === 'string') {
    const link = LINKED[key];
    if (link && (!link.tenant || orgId))
      return (
        <RecordLink list={link.list} orgId={link.tenant ? orgId : null} id={value}>
          <code>{value}</code>
        </RecordLink>
      );
    if (PEOPLE.has(key)) return <PersonLink id={value} name={value} />;
    return value.length > SHOWN ? `${value.slice(0, SHOWN)}…` : value;
  }
  const text = JSON.stringify(value) ?? String(value);
  return <code>{text.length > SHOWN ? `${text.slice(0, SHOWN)}…` : text}</code>;
}

/** The input's top-level fields, secrets masked as the audit log masks them. */
export function inputFacts(input: unknown, orgId: string | null): [string, ComponentChildren][] {
  const masked = maskSecrets(input);
  if (!masked || typeof masked !== 'object' || Array.isArray(masked)) return [['Input', inputValue('', masked, orgId)]];
  const entries = Object.entries(masked);
  if (entries.length === 0) return [['Input', <span class="muted">none</span>]];
  return entries.map(([k, v]) => [k, inputValue(k, v, orgId)]);
}

export const taskRunRecord: RecordDecl = {
  tenant: false,
  idParam: 'runId',
  auditTarget: 'task_run',
  load: async (tx, { id }, { zone }) => {
    const run = await tx
      .selectFrom('task_runs as r')
      .leftJoin('organizations as o', 'o.id', 'r.org_id')
      .leftJoin('users as u', 'u.id', 'r.created_by')
      .leftJoin('task_runs as next', 'next.retry_of', 'r.id')
      .selectAll('r')
      .select(['o.slug', 'o.name as org_name', 'u.name as created_by_name', 'next.id as retried_by'])
      .where('r.id', '=', id)
      .executeTakeFirst();
    if (!run) return null;
    // Read-only here: the job is locked only by an action, never by a page view.
    const job = await jobOfRun(tx, run, false);
    const waiting = job && !job.locked_at && job.attempts < job.max_attempts;
    const at = (d: Date | null) => <When value={d} zone={zone} />;
    const status = TASK_STATUS[run.status];
    const org = run.org_id && run.slug && run.org_name ? { id: run.org_id, slug: run.slug, name: run.org_name } : null;
    const runLink = (runId: string | null) =>
      runId ? (
        <RecordLink list="task-runs" id={runId}>
          <code>{runId}</code>
        </RecordLink>
      ) : (
        <None />
      );
    return {
      title: `Task run ${run.task}`,
      subtitle: `${status.label}, attempt ${run.attempts} of ${run.max_attempts}`,
      org,
      groups: [
        {
          title: 'Run',
          facts: [
            ['Status', <Badge tone={status.tone}>{status.label}</Badge>],
            ['Task', <code>{run.task}</code>],
            ['Organization', org ? <OrgLink slug={org.slug} name={org.name} /> : 'none (platform)'],
            ['Attempts', `${run.attempts} of ${run.max_attempts}`],
            ['Error', run.error ? <span class="break">{run.error}</span> : <None />],
            [
              'Progress',
              run.progress_done === null ? <None /> : `${run.progress_done} of ${run.progress_total ?? '?'}`,
            ],
            ['Retry of', runLink(run.retry_of)],
            ['Retried by', runLink(run.retried_by)],
            ['Id', <code>{run.id}</code>],
          ],
        },
        {
          title: 'Times',
          facts: [
            [
              'Queued',
              <>
                {at(run.created_at)} by{' '}
                {run.created_by ? <PersonLink id={run.created_by} name={run.created_by_name} /> : 'the app'}
              </>,
            ],
            ['Started', at(run.started_at)],
            ['Finished', at(run.finished_at)],
            ['Last change', at(run.updated_at)],
            ['Next attempt', waiting ? at(job.run_at) : <None />],
            [
              'Job',
              job ? (
                <>
                  <code>{job.id}</code>
                  {job.locked_at ? ' (a worker holds it: look again in a minute to act on it)' : ''}
                </>
              ) : (
                <span class="muted">not in the queue</span>
              ),
            ],
          ],
        },
        { title: 'Input (secrets masked)', facts: inputFacts(run.input, run.org_id) },
      ],
      confirmText: run.task,
      offers: runOffers(run, !!job?.locked_at),
    };
  },
  actions: [
    {
      name: 'retry',
      label: 'Retry now',
      access: 'staff:operator',
      explain: 'Runs it again now.',
      run: async (app, actor, { id }, { seen }) => {
        const r = await retryRunNow(app.db, app.tasks, actor, id, seen as TaskStatus);
        if (r.kind === 'now') return { message: 'Its next attempt runs now: a worker takes it within seconds.' };
        return {
          message: 'The task runs again as this new run; the failed one keeps its error.',
          goTo: { orgId: null, id: r.runId },
        };
      },
    },
    {
      name: 'cancel',
      label: 'Cancel the run',
      access: 'staff:operator',
      typed: true,
      explain:
        'Its job is failed for good and never runs; the run reads "Failed for good: cancelled from the back-office". What started it (an import, an export) keeps its own state. Type the task name to confirm.',
      run: async (app, actor, { id }, { seen }) => {
        await cancelRun(app.db, actor, id, seen as TaskStatus);
        return { message: 'The run is cancelled: its job will not run.' };
      },
    },
  ],
};

/** What an operator may do to the run as it is now: nothing while a worker holds its job. */
function runOffers(
  run: { status: TaskStatus; task: string; attempts: number; max_attempts: number; retried_by: string | null },
  held: boolean,
): RecordView['offers'] {
  if (held) return {};
  const offers: Record<string, Offer> = {};
  if (run.status === 'failed' && !run.retried_by)
    offers.retry = {
      seen: run.status,
      explain: `Runs ${run.task} again as a new run with the same input. This run keeps its error, and links to the new one.`,
    };
  if (run.status === 'retrying')
    offers.retry = {
      seen: run.status,
      explain: `Moves its next attempt (attempt ${run.attempts + 1} of ${run.max_attempts}) to now, instead of waiting for the backoff.`,
    };
  if ((RUN_ACTIONS.cancel as readonly string[]).includes(run.status)) offers.cancel = { seen: run.status };
  return offers;
}
