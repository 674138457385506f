import { defineModule } from '../../core/module.ts';
import { payoutsList } from './admin.tsx';
import { PAYOUT_AUDIT, PAYING_ACCOUNT_AUDIT } from './audit.ts';
import { RULES } from './policy.ts';
import { payoutRoutes } from './routes.ts';
import { PAYOUT_NOTICE_TASKS } from './notices.ts';
import { payoutPaths } from './paths.ts';

/** Payouts: approved invoices batched, approved by a second person, paid through the bank's file. */
export const payoutsModule = defineModule({
  name: 'payouts',
  admin: [payoutsList],
  auditActions: [PAYOUT_AUDIT, PAYING_ACCOUNT_AUDIT],
  policy: RULES,
  routes: payoutRoutes,
  tasks: PAYOUT_NOTICE_TASKS,
  nav: [{ label: 'Payouts', path: (slug) => payoutPaths.list(slug), order: 30, action: 'payout.view' }],
});
