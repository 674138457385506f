import { STAFF_EXPORT_AUDIT } from './admin/list-csv.ts';
import { STAFF_VIEW_AUDIT } from './admin/records.ts';
import { auditLogList } from './audit/admin.tsx';
import { AUDIT_LOG_AUDIT, AUDIT_RETENTION } from './audit/retention.ts';
import { VERIFY_AUDIT_SCHEDULE, verifyAuditChains } from './audit/verify-task.ts';
import { mailOutboxList } from './mail/admin.tsx';
import { deliverMail } from './mail/mail.ts';
import { MAIL_AUDIT } from './mail/resend.ts';
import { defineModule } from './module.ts';
import { OPERATIONS_PAGE } from './observability/operations-page.tsx';
import { operationsRoutes } from './observability/operations-routes.ts';
import { cspReportsList } from './security/csp-admin.tsx';
import { taskRunsList } from './tasks/admin.tsx';
import { HOUSEKEEPING_AUDIT, PLATFORM_CLEANUPS } from './tasks/housekeeping.ts';
import { TASK_RUN_AUDIT } from './tasks/run-actions.ts';

/**
 * The platform's own work: mail delivery, the nightly cleanups of its tables (and the audit log's retention), the
 * nightly verification of the audit log's hash chains, the back-office lists of its
 * tables and the operators' actions on them (retry or cancel a task run, resend a mail).
 */
export const platformModule = defineModule({
  name: 'platform',
  tasks: [deliverMail, verifyAuditChains],
  schedules: [VERIFY_AUDIT_SCHEDULE],
  cleanups: [...PLATFORM_CLEANUPS, AUDIT_RETENTION],
  routes: operationsRoutes,
  auditActions: [AUDIT_LOG_AUDIT, HOUSEKEEPING_AUDIT, STAFF_VIEW_AUDIT, STAFF_EXPORT_AUDIT, TASK_RUN_AUDIT, MAIL_AUDIT],
  admin: [taskRunsList, mailOutboxList, cspReportsList, auditLogList],
  adminPages: [OPERATIONS_PAGE],
});
