import { defineModule } from '../../core/module.ts';
import { invoicesList } from './admin.tsx';
import { INVOICE_AUDIT } from './audit.ts';
import { editingRoutes } from './editing-routes.ts';
import { RULES } from './policy.ts';
import { queueRoutes } from './queue-routes.ts';
import { INVOICE_NOTICE_TASKS } from './notices.ts';
import { workflowRoutes } from './workflow-routes.ts';
import { invoicePaths } from './paths.ts';

/** Invoices: the approval queue, the invoice page and its workflow, draft editing with the PDF, the notices to approvers and submitters. */
export const invoicesModule = defineModule({
  name: 'invoices',
  admin: [invoicesList],
  auditActions: [INVOICE_AUDIT],
  policy: RULES,
  routes: [...queueRoutes, ...editingRoutes, ...workflowRoutes],
  tasks: INVOICE_NOTICE_TASKS,
  nav: [{ label: 'Invoices', path: (slug) => invoicePaths.list(slug), order: 10, action: 'invoice.view' }],
});
