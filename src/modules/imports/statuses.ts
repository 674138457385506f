// What an import holds and where it stands: the values of its enum-like columns.
import type { Selectable } from 'kysely';
import type { Imports } from '../../core/db/generated.ts';
import { valuesOf } from '../../core/db/values.ts';
import { TaskCancelled } from '../../core/tasks/tasks.ts';

export type ImportKind = Imports['kind'];
export const IMPORT_KINDS = valuesOf<ImportKind>()(['vendors', 'invoices']);
export type ImportStatus = Selectable<Imports>['status'];
export type ImportEncoding = Selectable<Imports>['encoding'];
export const IMPORT_ENCODINGS = valuesOf<ImportEncoding>()(['auto', 'utf-8', 'windows-1252']);
export type ImportDelimiter = Selectable<Imports>['delimiter'];
export const IMPORT_DELIMITERS = valuesOf<ImportDelimiter>()(['auto', ',', ';']);
export type ImportMode = NonNullable<Imports['mode']>;
export const IMPORT_MODES = valuesOf<ImportMode>()(['valid_rows', 'all_or_nothing']);
export const CANCELLED_BY_STAFF = 'Stopped by Ledgerworks support';

/** What the running task throws when it finds the import stopped under it. */
export function importStopped(): TaskCancelled {
  return new TaskCancelled(`${CANCELLED_BY_STAFF} while it ran: the rows of the batch in progress were not kept.`);
}
