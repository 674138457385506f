import { formatMoney } from '../../core/money.ts';
import { BarList, ColumnChart, type ChartPoint } from '../../core/views/charts.tsx';
import { Card, CsrfField, EmptyState, PageHeader, Time } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { Layout } from '../../core/views/layout.tsx';
import { monthKey, monthLabel } from './month.ts';
import type { MonthlyReportData } from './service.ts';

type Total = MonthlyReportData['byCurrency'][number];

const money = (t: Total) => formatMoney(t.total, t.currency, t.minorUnits);
/** Bar lengths only; the amounts people read are formatted exactly from minor units. */
const scale = (t: Total) => Number(t.total) / 10 ** t.minorUnits;

function RebuildForm({ ctx, month, label }: { ctx: PageContext; month?: string; label: string }) {
  return (
    <form method="post" action={`/o/${ctx.org?.slug ?? ''}/reports/rebuild`} class="inline-form">
      <CsrfField token={ctx.csrfToken} />
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
    </form>
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
    <Layout ctx={ctx} title="Reports">
      <PageHeader
        title="Monthly reports"
        subtitle="Spend per vendor, category and currency, and how fast invoices were approved. Each month is reported on the 1st of the next."
      />
      <Card title="Months">
        {reports.length === 0 ? (
          <EmptyState title="No reports yet">The first one is built on the 1st of next month.</EmptyState>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th>Month</th>
                  <th>Built</th>
                  <th>CSV</th>
                </tr>
              </thead>
              <tbody>
                {reports.map((r) => (
                  <tr>
                    <td>
                      <a href={`/o/${slug}/reports/${monthKey(r.month)}`}>{monthLabel(r.month)}</a>
                    </td>
                    <td>
                      <Time value={r.generated_at} zone={zone} />
                    </td>
                    <td>
                      <a href={`/o/${slug}/reports/${monthKey(r.month)}/csv`}>Download</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      {canRebuild && (
        <Card title="Build a month now">
          <p class="muted">Builds (or rebuilds) the report of any past month in the background.</p>
          <RebuildForm ctx={ctx} label="Build report" />
        </Card>
      )}
    </Layout>
  );
}

function TotalsTable({ rows, first }: { rows: (Total & { name: string })[]; first: string }) {
  return (
    <div class="table-wrap">
      <table class="table">
        <thead>
          <tr>
            <th>{first}</th>
            <th>Currency</th>
            <th class="num">Invoices</th>
            <th class="num">Total</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>{r.name}</td>
              <td>{r.currency}</td>
              <td class="num">{r.count}</td>
              <td class="num">{money(r)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
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
  const base = `/o/${ctx.org?.slug ?? ''}/reports`;
  const title = monthLabel(month);
  const actions = (
    <>
      {report && (
        <a class="button button-ghost" href={`${base}/${monthKey(month)}/csv`}>
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
      <Layout ctx={ctx} title={title}>
        <PageHeader title={title} actions={actions} />
        <Card>
          <EmptyState title="No report for this month yet">
            <a href={base}>All reports</a>
          </EmptyState>
        </Card>
      </Layout>
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
    <Layout ctx={ctx} title={title}>
      <PageHeader
        title={title}
        subtitle="Invoices issued this month that were approved, put in a payout or paid."
        actions={actions}
      />
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
        {d.byCurrency.length ? (
          <TotalsTable first="Currency" rows={d.byCurrency.map((c) => ({ ...c, name: c.currency }))} />
        ) : (
          <EmptyState title="No spend this month" />
        )}
      </Card>
      <Card title="Per vendor">
        {d.byVendor.length ? (
          <TotalsTable first="Vendor" rows={d.byVendor.map((v) => ({ ...v, name: v.vendor }))} />
        ) : (
          <EmptyState title="No spend this month" />
        )}
      </Card>
      <Card title="Per category">
        {d.byCategory.length ? (
          <TotalsTable first="Category" rows={d.byCategory.map((c) => ({ ...c, name: c.category }))} />
        ) : (
          <EmptyState title="No spend this month" />
        )}
      </Card>
      <p class="muted small">
        Built <Time value={report.generatedAt} zone={zone} />.
      </p>
    </Layout>
  );
}
