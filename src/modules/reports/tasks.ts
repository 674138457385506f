import { z } from 'zod';
import { uuid } from '../../core/schemas.ts';
import { defineTask } from '../../core/tasks/tasks.ts';
import { buildMonthlyReport } from './build-report.ts';
import { firstDaySchema } from './month.ts';

export const buildMonthly = defineTask({
  name: 'reports.build_monthly',
  label: 'Build a monthly report',
  input: z.object({ orgId: uuid(), month: firstDaySchema }),
  maxAttempts: 3,
  run: async ({ orgId, month }, ctx) => {
    if (ctx.orgId !== orgId) throw new Error('a monthly report is built in its own org');
    return buildMonthlyReport(ctx.db, orgId, month);
  },
});
