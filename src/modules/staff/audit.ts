import { auditActions } from '../../core/audit/actions.ts';

/** Changes to the staff team (who may use the back-office, with which role). */
export const STAFF_AUDIT = auditActions('staff', ['role_granted', 'role_changed', 'role_removed']);
