import { formatMoney } from '../../core/money.ts';
import { BarList, ColumnChart, type ChartPoint } from '../../core/views/charts.tsx';
import { Card, EmptyState, Time } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { DataTable } from '../../core/views/data-table.tsx';
import { PostForm } from '../../core/views/forms.tsx';
import { Page } from '../../core/views/page.tsx';
import { reportPaths } from './paths.ts';
import { monthKey, monthLabel } from './month.ts';
import type { MonthlyReportData } from './service.ts';

type Total = MonthlyReportData['byCurrency'][number];

const money = (t: Total) => formatMoney(t.total, t.currency, t.minorUnits);
/** Bar lengths only; the amounts people read are formatted exactly from minor units. */
const scale = (t: Total) => Number(t.total) / 10 ** t.minorUnits;

function RebuildForm({ ctx, month, label }: { ctx: PageContext; month?: string; label: string }) {
  return (
    <PostForm action={reportPaths.rebuild(ctx.org?.slug ?? '')} csrfToken={ctx.csrfToken} class="inline-form">
      {month ? (
        <input type="hidden" name="month" value={month} />
      ) : (
        <div class="field">
          <label for="f-month">Month</label>
          <input id="f-month" name="month" type="month" required />
        </div>
      )}
      <button class="button button-ghost" type="submit">
        {label}
      </button>
    </PostForm>
  );
}

export function ReportsPage({
  ctx,
  reports,
  canRebuild,
}: {
  ctx: PageContext;
  reports: { month: string; generated_at: Date }[];
  canRebuild: boolean;
}) {
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  const slug = ctx.org?.slug ?? '';
  return (
    <Page
      ctx={ctx}
      title="Reports"
      heading="Monthly reports"
      subtitle="Spend per vendor, category and currency, and how fast invoices were approved. Each month is reported on the 1st of the next."
    >
      <Card title="Months">
        <DataTable
          columns={[
            {
              header: 'Month',
              cell: (r) => <a href={reportPaths.month(slug, monthKey(r.month))}>{monthLabel(r.month)}</a>,
            },
            { header: 'Built', cell: (r) => <Time value={r.generated_at} zone={zone} /> },
            { header: 'CSV', cell: (r) => <a href={reportPaths.csv(slug, monthKey(r.month))}>Download</a> },
          ]}
          rows={reports}
          empty={{ title: 'No reports yet', children: 'The first one is built on the 1st of next month.' }}
        />
      </Card>
      {canRebuild && (
        <Card title="Build a month now">
          <p class="muted">Builds (or rebuilds) the report of any past month in the background.</p>
          <RebuildForm ctx={ctx} label="Build report" />
        </Card>
      )}
    </Page>
  );
}

/** Spend per currency, vendor or category: one row per name and currency. */
function TotalsTable({ rows, first }: { rows: (Total & { name: string })[]; first: string }) {
  return (
    <DataTable
      columns={[
        { header: first, cell: (r) => r.name },
        { header: 'Currency', cell: (r) => r.currency },
        { header: 'Invoices', num: true, cell: (r) => r.count },
        { header: 'Total', num: true, cell: (r) => money(r) },
      ]}
      rows={rows}
      empty={{ title: 'No spend this month' }}
    />
  );
}

const hours = (h: number | null) => (h === null ? '—' : `${h.toLocaleString('en-GB')} h`);

export function MonthlyReportPage(props: {
  ctx: PageContext;
  month: string;
  report: { data: MonthlyReportData; generatedAt: Date } | null;
  currency: string;
  canRebuild: boolean;
}) {
  const { ctx, month, report, currency } = props;
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  const slug = ctx.org?.slug ?? '';
  const title = monthLabel(month);
  const actions = (
    <>
      {report && (
        <a class="button button-ghost" href={reportPaths.csv(slug, monthKey(month))}>
          Download CSV
        </a>
      )}
      {props.canRebuild && (
        <RebuildForm ctx={ctx} month={monthKey(month)} label={report ? 'Rebuild' : 'Build report'} />
      )}
    </>
  );
  if (!report) {
    return (
      <Page ctx={ctx} title={title} actions={actions}>
        <Card>
          <EmptyState title="No report for this month yet">
            <a href={reportPaths.list(slug)}>All reports</a>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  const d = report.data;
  const vendorPoints: ChartPoint[] = d.byVendor
    .filter((v) => v.currency === currency)
    .slice(0, 10)
    .map((v) => ({ label: v.vendor, value: scale(v), display: money(v) }));
  const categoryPoints: ChartPoint[] = d.byCategory
    .filter((c) => c.currency === currency)
    .map((c) => ({ label: c.category, value: scale(c), display: money(c) }));
  return (
    <Page
      ctx={ctx}
      title={title}
      subtitle="Invoices issued this month that were approved, put in a payout or paid."
      actions={actions}
    >
      <div class="stats">
        <div class="stat">
          <span class="stat-label">Spend</span>
          {d.byCurrency.length ? (
            d.byCurrency.map((c) => <span class="stat-text">{money(c)}</span>)
          ) : (
            <span class="stat-text">Nothing</span>
          )}
        </div>
        <div class="stat">
          <span class="stat-label">Decided this month</span>
          <span class="stat-value">{d.approvals.approved}</span>
          <span class="small muted">approved · {d.approvals.rejected} rejected</span>
        </div>
        <div class="stat">
          <span class="stat-label">Submission to approval</span>
          <span class="stat-text">median {hours(d.approvals.medianHours)}</span>
          <span class="small muted">average {hours(d.approvals.averageHours)}</span>
        </div>
      </div>
      <div class="grid-2">
        <Card title={`Top vendors (${currency})`}>
          {vendorPoints.length ? (
            <BarList title={`Spend per vendor in ${currency}`} points={vendorPoints} />
          ) : (
            <EmptyState title={`No spend in ${currency}`} />
          )}
        </Card>
        <Card title={`By category (${currency})`}>
          {categoryPoints.length ? (
            <ColumnChart title={`Spend per category in ${currency}`} points={categoryPoints} />
          ) : (
            <EmptyState title={`No spend in ${currency}`} />
          )}
        </Card>
      </div>
      <Card title="Per currency">
        <TotalsTable first="Currency" rows={d.byCurrency.map((c) => ({ ...c, name: c.currency }))} />
      </Card>
      <Card title="Per vendor">
        <TotalsTable first="Vendor" rows={d.byVendor.map((v) => ({ ...v, name: v.vendor }))} />
      </Card>
      <Card title="Per category">
        <TotalsTable first="Category" rows={d.byCategory.map((c) => ({ ...c, name: c.category }))} />
      </Card>
      <p class="muted small">
        Built <Time value={report.generatedAt} zone={zone} />.
      </p>
    </Page>
  );
}
