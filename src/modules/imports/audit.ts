import { auditActions } from '../../core/audit/actions.ts';

/**
 * A CSV import, from upload to its rows applied: each batch a "valid rows" import commits is recorded
 * with it (the rows are in the database from then on), and a check or import that failed.
 */
export const IMPORT_AUDIT = auditActions('import', [
  'uploaded',
  'started',
  'retried',
  'batch_applied',
  'completed',
  'failed',
  'cancelled',
]);
