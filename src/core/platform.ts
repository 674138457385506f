import { STAFF_EXPORT_AUDIT } from './admin/list-csv.ts';
import { STAFF_VIEW_AUDIT } from './admin/records.ts';
import { auditLogList } from './audit/admin.tsx';
import { mailOutboxList } from './mail/admin.tsx';
import { deliverMail } from './mail/mail.ts';
import { defineModule } from './module.ts';
import { cspReportsList } from './security/csp-admin.tsx';
import { taskRunsList } from './tasks/admin.tsx';
import { HOUSEKEEPING_AUDIT, PLATFORM_CLEANUPS } from './tasks/housekeeping.ts';

/** The platform's own work: mail delivery, the nightly cleanups of its tables, the back-office lists of its tables. */
export const platformModule = defineModule({
  name: 'platform',
  tasks: [deliverMail],
  cleanups: PLATFORM_CLEANUPS,
  auditActions: [HOUSEKEEPING_AUDIT, STAFF_VIEW_AUDIT, STAFF_EXPORT_AUDIT],
  admin: [taskRunsList, mailOutboxList, cspReportsList, auditLogList],
});
