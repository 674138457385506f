// An import's page in the back-office: the file, how it was read, its outcome and the first
// rejected rows with their reasons (what support needs to answer "why did my import fail").
import { OrgLink, PersonLink, When } from '../../core/admin/cells.tsx';
import type { RecordDecl, RecordView } from '../../core/admin/record-types.ts';
import { CANCELLABLE, cancelImport } from './cancel.ts';
import { Card } from '../../core/views/components.tsx';
import { DataTable } from '../../core/views/data-table.tsx';
import { StatusBadge } from '../../core/views/status-badge.tsx';
import { IMPORT_STATUS } from './views.tsx';

/** How many rejected rows the page shows (the org's own page offers all of them as CSV). */
const REJECTIONS_SHOWN = 20;

export const importRecord: RecordDecl = {
  tenant: true,
  idParam: 'importId',
  auditTarget: 'import',
  load: async (tx, { orgId, id }, { zone }) => {
    const im = await tx
      .selectFrom('imports as im')
      .innerJoin('organizations as o', 'o.id', 'im.org_id')
      .leftJoin('users as u', 'u.id', 'im.created_by')
      .select([
        'im.id',
        'im.org_id',
        'im.kind',
        'im.status',
        'im.file_name',
        'im.file_size',
        'im.encoding',
        'im.delimiter',
        'im.mode',
        'im.total_rows',
        'im.valid_rows',
        'im.rejected_rows',
        'im.created_rows',
        'im.applied_rows',
        'im.skipped_existing',
        'im.error',
        'im.failed_stage',
        'im.created_at',
        'im.checked_at',
        'im.imported_at',
        'im.created_by',
        'u.name as created_by_name',
        'o.slug',
        'o.name as org_name',
      ])
      .where('im.org_id', '=', orgId!)
      .where('im.id', '=', id)
      .executeTakeFirst();
    if (!im) return null;
    const rejections = await tx
      .selectFrom('import_rejections')
      .select(['line', 'reason'])
      .where('org_id', '=', im.org_id)
      .where('import_id', '=', id)
      .orderBy('line')
      .limit(REJECTIONS_SHOWN)
      .execute();
    const at = (d: Date | null) => (d ? <When value={d} zone={zone} /> : 'not yet');
    const committed = im.status === 'importing' && im.mode === 'valid_rows' ? im.applied_rows : 0;
    const offers: RecordView['offers'] = CANCELLABLE.includes(im.status)
      ? {
          cancel: {
            seen: im.status,
            explain:
              im.status === 'checking'
                ? 'Stops the check of this file: the import shows as failed with your reason, and the org can "Try again". No vendor or invoice was written by the check.'
                : committed > 0
                  ? `Stops the import: ${committed} of ${im.valid_rows} rows are already imported (valid-rows mode commits in batches) and stay; the batch in progress is rolled back. The org sees it failed with your reason; "Try again" resumes after the imported rows.`
                  : 'Stops the import before any row is kept (all or nothing rolls back): the org sees it failed with your reason and can "Try again".',
          },
        }
      : {};
    return {
      title: `Import ${im.file_name}`,
      subtitle: `${im.kind}, ${im.total_rows} rows`,
      org: { id: im.org_id, slug: im.slug, name: im.org_name },
      groups: [
        {
          title: 'Import',
          facts: [
            ['Status', <StatusBadge kind={IMPORT_STATUS} status={im.status} />],
            ['Organization', <OrgLink slug={im.slug} name={im.org_name} />],
            ['Holds', im.kind],
            ['File', `${im.file_name} (${im.file_size} bytes, ${im.encoding}, delimiter ${im.delimiter})`],
            ['Mode', im.mode ?? 'not chosen yet'],
            [
              'Error',
              im.error
                ? `${im.error}${im.failed_stage ? ` (in the ${im.failed_stage === 'check' ? 'check' : 'import'})` : ''}`
                : '—',
            ],
            ['Id', <code>{im.id}</code>],
          ],
        },
        {
          title: 'Rows and dates',
          facts: [
            ['Rows', String(im.total_rows)],
            ['Valid', String(im.valid_rows)],
            ['Rejected', String(im.rejected_rows)],
            ['Created', String(im.created_rows)],
            ['Skipped (already there)', String(im.skipped_existing)],
            [
              'Uploaded',
              <>
                {at(im.created_at)} by <PersonLink id={im.created_by} name={im.created_by_name} />
              </>,
            ],
            ['Checked', at(im.checked_at)],
            ['Imported', at(im.imported_at)],
          ],
        },
      ],
      offers,
      confirmText: im.file_name,
      related: (
        <Card title="Rejected rows">
          <DataTable
            caption={`The first ${REJECTIONS_SHOWN} rejected rows`}
            rows={rejections}
            empty={{ title: 'No row was rejected' }}
            columns={[
              { header: 'Line', num: true, cell: (r) => String(r.line) },
              { header: 'Why', class: 'break', cell: (r) => r.reason },
            ]}
          />
        </Card>
      ),
    };
  },
  actions: [
    {
      name: 'cancel',
      label: 'Stop this import',
      access: 'staff:operator',
      explain: 'Stops an import stuck checking or importing; the org can try it again.',
      typed: true,
      reason: true,
      run: async (app, actor, { orgId, id }, { reason, seen }) => {
        const r = await cancelImport(app.db, actor, orgId!, id, seen, reason!);
        const how =
          r.run === 'running'
            ? 'The worker running it stops at its next batch.'
            : r.run === 'stopped'
              ? 'Its run will not run again.'
              : '';
        return { message: `The import is stopped and shows as failed to the org. ${how}`.trim() };
      },
    },
  ],
};
