// The CSP reports of the last 7 days on the operations overview: a column per day, and the
// directive × blocked origin pairs that make them up, so a report-only policy can be tightened
// (or an allowance added) from what browsers actually blocked.
import { ColumnChart } from '../views/charts.tsx';
import { Card } from '../views/components.tsx';
import { DataTable } from '../views/data-table.tsx';
import { CSP_DAYS, type Csp } from './operations-read.ts';

const dayLabel = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', timeZone: 'UTC' });
const label = (day: string) => dayLabel.format(new Date(`${day}T00:00:00Z`));
const count = (n: number) => (n ? n.toLocaleString('en-GB') : <span class="muted">0</span>);

export function CspCard({ csp }: { csp: Csp }) {
  return (
    <Card title={`CSP reports, last ${CSP_DAYS} days`}>
      <p class="muted small">
        {csp.total.toLocaleString('en-GB')} reports, by UTC day. Blocked addresses are grouped by origin (path and query
        dropped): the origin is what a policy names. <a href="/staff/csp-reports">Every report</a>.
      </p>
      <ColumnChart
        title={`CSP reports per day, last ${CSP_DAYS} days`}
        height={150}
        points={csp.days.map((d, i) => ({ label: label(d), value: csp.perDay[i]!, display: String(csp.perDay[i]) }))}
      />
      <DataTable
        caption="CSP reports by directive and blocked origin, per day"
        class="csp-table"
        rows={csp.groups}
        empty={{
          title: `No CSP report in the last ${CSP_DAYS} days`,
          children: 'Browsers have blocked nothing the policy names: it can be enforced as it is.',
        }}
        columns={[
          { header: 'Directive', class: 'nowrap', cell: (g) => <code>{g.directive}</code> },
          {
            header: 'Blocked',
            class: 'break',
            cell: (g) => <a href={`/staff/csp-reports?q=${encodeURIComponent(g.blocked)}`}>{g.blocked}</a>,
          },
          ...csp.days.map((d, i) => ({
            header: label(d),
            num: true,
            secondary: true,
            cell: (g: Csp['groups'][number]) => count(g.days[i]!),
          })),
          { header: 'Total', num: true, cell: (g) => <strong>{g.total.toLocaleString('en-GB')}</strong> },
        ]}
      />
      {csp.more > 0 && <p class="muted small">And {csp.more} smaller groups, in the list of every report.</p>}
    </Card>
  );
}
