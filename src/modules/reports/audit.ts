import { auditActions } from '../../core/audit/actions.ts';

/** Monthly reports built, rebuilt on request, downloaded. */
export const REPORT_AUDIT = auditActions('report', ['generated', 'rebuild_requested', 'downloaded']);
