// An export's page in the back-office: what was asked, by whom, with which filters, how its build
// run is doing, and whether the file is still there (never its content). Operators can stop one
// stuck waiting or building.
import { OrgLink, PersonLink, RecordLink, When } from '../../core/admin/cells.tsx';
import type { RecordDecl, RecordView } from '../../core/admin/record-types.ts';
import { Badge } from '../../core/views/components.tsx';
import { cancelExport, isCancellable } from './cancel.ts';
import { lastDownloadedAt } from './queries.ts';
import { KIND_LABELS } from './views.tsx';

const FILTERS_SHOWN = 8;

export const exportRecord: RecordDecl = {
  tenant: true,
  idParam: 'exportId',
  auditTarget: 'export',
  load: async (tx, { orgId, id }, { zone }) => {
    const e = await tx
      .selectFrom('exports as e')
      .innerJoin('organizations as o', 'o.id', 'e.org_id')
      .leftJoin('users as u', 'u.id', 'e.created_by')
      .leftJoin('task_runs as r', 'r.id', 'e.run_id')
      .select(['e.org_id', 'e.id', 'e.kind', 'e.status', 'e.filters', 'e.run_id', 'e.row_count', 'e.size_bytes'])
      .select(['e.created_at', 'e.finished_at', 'e.expires_at', 'e.created_by', lastDownloadedAt.as('downloaded_at')])
      .select(['u.name as created_by_name', 'o.slug', 'o.name as org_name'])
      .select(['r.status as run_status', 'r.progress_done', 'r.progress_total', 'r.error as run_error'])
      .where('e.org_id', '=', orgId!)
      .where('e.id', '=', id)
      .executeTakeFirst();
    if (!e) return null;
    const filters = Object.entries((e.filters ?? {}) as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined && v !== '')
      .slice(0, FILTERS_SHOWN)
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join(', ');
    const offers: RecordView['offers'] = isCancellable(e.status)
      ? {
          cancel: {
            seen: e.status,
            explain:
              e.status === 'queued'
                ? 'Stops this export before its file is built: its waiting run fails for good, and the org sees it stopped by support. They can export again.'
                : `Stops the build (${e.progress_done ?? 0} of ${e.progress_total ?? '?'} rows written): the worker stops at its next batch and deletes the partial file; the org sees it stopped by support.`,
          },
        }
      : {};
    const label = KIND_LABELS[e.kind];
    return {
      title: `Export of ${label.toLowerCase()}`,
      subtitle: e.status,
      org: { id: e.org_id, slug: e.slug, name: e.org_name },
      confirmText: e.slug,
      offers,
      groups: [
        {
          title: 'Export',
          facts: [
            ['Organization', <OrgLink slug={e.slug} name={e.org_name} />],
            ['Of', label],
            ['Filters', filters || 'none'],
            ['Status', <Badge tone={e.status === 'ready' ? 'green' : 'neutral'}>{e.status}</Badge>],
            [
              'Asked',
              <>
                <When value={e.created_at} zone={zone} /> by <PersonLink id={e.created_by} name={e.created_by_name} />
              </>,
            ],
            ['Id', <code>{e.id}</code>],
          ],
        },
        {
          title: 'File',
          facts: [
            ['Rows', e.row_count === null ? '—' : String(e.row_count)],
            ['Size', e.size_bytes === null ? '—' : `${e.size_bytes} bytes`],
            ['Finished', <When value={e.finished_at} zone={zone} />],
            ['Expires', <When value={e.expires_at} zone={zone} />],
            ['Downloaded', <When value={e.downloaded_at} zone={zone} />],
            [
              'Build run',
              e.run_id ? (
                <>
                  <RecordLink list="task-runs" id={e.run_id}>
                    {e.run_status ?? 'run'}
                  </RecordLink>
                  {e.progress_total ? ` — ${e.progress_done ?? 0} of ${e.progress_total} rows` : ''}
                  {e.run_error ? ` — ${e.run_error}` : ''}
                </>
              ) : (
                'none (sent at once)'
              ),
            ],
          ],
        },
      ],
    };
  },
  actions: [
    {
      name: 'cancel',
      label: 'Stop this export',
      access: 'staff:operator',
      explain: 'Stops an export stuck waiting or building; no file is kept.',
      typed: true,
      reason: true,
      run: async (app, actor, { orgId, id }, { reason, seen }) => {
        const { run } = await cancelExport(app.db, actor, orgId!, id, seen, reason!);
        const how = run === 'running' ? ' The worker building it stops at its next batch.' : '';
        return { message: `The export is stopped; the org sees it stopped by support.${how}` };
      },
    },
  ],
};
