// A monthly report's page in the back-office: the org and month, when it was built, what it holds
// (counts, not the org's figures, which stay on its own pages), whether this version can read it,
// and its builds. Operators can build it again.
import { OrgLink, PersonLink, RecordLink, When } from '../../core/admin/cells.tsx';
import type { RecordDecl, RecordView } from '../../core/admin/record-types.ts';
import { Card } from '../../core/views/components.tsx';
import { DataTable } from '../../core/views/data-table.tsx';
import { firstDaySchema, monthLabel } from './month.ts';
import { readMonthlyReport, UnreadableReportError, type MonthlyReportData } from './queries.ts';
import { buildsOfMonth, rebuildReportAsStaff } from './staff-actions.ts';

function readable(stored: Parameters<typeof readMonthlyReport>[0]): MonthlyReportData | null {
  try {
    return readMonthlyReport(stored);
  } catch (err) {
    if (err instanceof UnreadableReportError) return null;
    throw err;
  }
}

export const reportRecord: RecordDecl = {
  tenant: true,
  idParam: 'reportMonth',
  idSchema: firstDaySchema,
  auditTarget: 'monthly_report',
  load: async (tx, { orgId, id: month }, { zone }) => {
    const r = await tx
      .selectFrom('monthly_reports as r')
      .innerJoin('organizations as o', 'o.id', 'r.org_id')
      .select(['r.org_id', 'r.month', 'r.data', 'r.generated_at', 'o.slug', 'o.name as org_name'])
      .where('r.org_id', '=', orgId!)
      .where('r.month', '=', month)
      .executeTakeFirst();
    if (!r) return null;
    const builds = await buildsOfMonth(tx, r.org_id, month);
    const data = readable(r.data);
    const offers: RecordView['offers'] = {
      rebuild: {
        seen: r.generated_at.toISOString(),
        explain: `Queues a build of ${monthLabel(r.month)} for ${r.org_name}: the figures are computed again from the org's invoices and replace the stored ones; the org's report page shows the new ones once it is done.`,
      },
    };
    const pending = builds.find((b) => ['queued', 'running', 'retrying'].includes(b.status));
    const invoices = data?.byCurrency.reduce((n, c) => n + c.count, 0) ?? null;
    return {
      title: `Report for ${monthLabel(r.month)}`,
      subtitle: 'Monthly report',
      org: { id: r.org_id, slug: r.slug, name: r.org_name },
      offers: pending ? {} : offers,
      groups: [
        {
          title: 'Report',
          facts: [
            ['Organization', <OrgLink slug={r.slug} name={r.org_name} />],
            ['Month', monthLabel(r.month)],
            ['Built', <When value={r.generated_at} zone={zone} />],
            [
              'Stored form',
              data ? 'readable' : <strong>not readable by this version: rebuild it to show the org its figures</strong>,
            ],
            [
              'Build waiting or running',
              pending ? (
                <>
                  {pending.status}, asked <When value={pending.created_at} zone={zone} />
                </>
              ) : (
                'none'
              ),
            ],
          ],
        },
        {
          title: 'What it holds',
          facts: data
            ? [
                ['Invoices counted', String(invoices)],
                ['Currencies', String(data.byCurrency.length)],
                ['Vendors', String(data.byVendor.length)],
                ['Categories', String(data.byCategory.length)],
                ['Approved / rejected in the month', `${data.approvals.approved} / ${data.approvals.rejected}`],
              ]
            : [['Figures', 'unreadable']],
        },
      ],
      related: (
        <Card title="Builds of this month">
          <DataTable
            caption={`The latest builds of ${monthLabel(r.month)} asked for this org`}
            rows={builds}
            empty={{
              title: 'No build asked for this month',
              children: 'The scheduled build on the 1st runs for every org at once and is listed under Task runs.',
            }}
            columns={[
              {
                header: 'Run',
                cell: (b) => (
                  <RecordLink list="task-runs" id={b.id}>
                    {b.status}
                  </RecordLink>
                ),
              },
              {
                header: 'Asked by',
                cell: (b) => <PersonLink id={b.created_by} name={b.created_by_name} />,
              },
              { header: 'Asked', class: 'nowrap', cell: (b) => <When value={b.created_at} zone={zone} /> },
              { header: 'Finished', class: 'nowrap', cell: (b) => <When value={b.finished_at} zone={zone} /> },
              { header: 'Error', class: 'break', secondary: true, cell: (b) => b.error ?? '—' },
            ]}
          />
        </Card>
      ),
    };
  },
  actions: [
    {
      name: 'rebuild',
      label: 'Build it again',
      access: 'staff:operator',
      explain: "Computes the month's figures again in the background and replaces the stored report.",
      reason: true,
      run: async (app, actor, { orgId, id }, { reason, seen }) => {
        await rebuildReportAsStaff(app.db, actor, orgId!, id, seen, reason!);
        return { message: `A build of ${monthLabel(id)} is queued; the page lists it under "Builds of this month".` };
      },
    },
  ],
};
