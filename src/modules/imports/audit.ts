import { auditActions } from '../../core/audit/actions.ts';

/** A CSV import, from upload to its rows applied. */
export const IMPORT_AUDIT = auditActions('import', ['uploaded', 'started', 'retried', 'completed', 'cancelled']);
