import { auditActions } from '../../core/audit/actions.ts';

/** An export made, its file ready, downloaded, expired, stopped by staff. */
export const EXPORT_AUDIT = auditActions('export', ['created', 'downloaded', 'file_ready', 'expired', 'cancelled']);
