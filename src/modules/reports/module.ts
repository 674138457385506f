import { defineModule } from '../../core/module.ts';
import { reportsList } from './admin.tsx';
import { REPORT_AUDIT } from './audit.ts';
import { RULES } from './policy.ts';
import { reportRoutes } from './routes.ts';
import { enqueueMonthly, monthlyReportsSchedule } from './schedule.ts';
import { buildMonthly } from './tasks.ts';
import { reportPaths } from './paths.ts';

/** Monthly spend reports per org, built on the 1st of each month and on request. */
export const reportsModule = defineModule({
  name: 'reports',
  admin: [reportsList],
  auditActions: [REPORT_AUDIT],
  policy: RULES,
  routes: reportRoutes,
  tasks: [buildMonthly, enqueueMonthly],
  schedules: [monthlyReportsSchedule],
  nav: [{ label: 'Reports', path: (slug) => reportPaths.list(slug), order: 70, action: 'report.view' }],
});
