import type { Selectable } from 'kysely';
import type { Exports } from '../../core/db/generated.ts';
import { valuesOf } from '../../core/db/values.ts';

export type ExportKind = Exports['kind'];
export const EXPORT_KINDS = valuesOf<ExportKind>()(['invoices', 'vendors', 'audit_log']);
export type ExportStatus = Selectable<Exports>['status'];
