import { deliverMail } from './mail/mail.ts';
import { defineModule } from './module.ts';
import { HOUSEKEEPING_AUDIT, PLATFORM_CLEANUPS } from './tasks/housekeeping.ts';

/** The platform's own work: mail delivery and the nightly cleanups of its tables. */
export const platformModule = defineModule({
  name: 'platform',
  tasks: [deliverMail],
  cleanups: PLATFORM_CLEANUPS,
  auditActions: [HOUSEKEEPING_AUDIT],
});
