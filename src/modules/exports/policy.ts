import type { ExportKind, Role } from '../../core/db/schema.ts';
import { ForbiddenError } from '../../core/http/errors.ts';
import type { OrgContext } from '../../core/http/types.ts';

const FINANCE = ['owner', 'admin', 'approver', 'accountant'] as const;

/**
 * Who may take the org's data away as a file. The audit log says who did what to whom, so
 * only the people who run the org export it. The README's table is generated from this.
 */
export const RULES = {
  'export.invoices': { roles: FINANCE, label: 'export invoices as CSV (with the queue’s filters)' },
  'export.vendors': { roles: FINANCE, label: 'export vendors as CSV (payment details masked)' },
  'export.audit_log': { roles: ['owner', 'admin'], label: 'export the audit log as CSV' },
} as const satisfies Record<`export.${ExportKind}`, { roles: readonly Role[]; label: string }>;

export type ExportAction = keyof typeof RULES;

export function can(org: Pick<OrgContext, 'role'>, action: ExportAction): boolean {
  return (RULES[action].roles as readonly Role[]).includes(org.role);
}

export function authorize(org: Pick<OrgContext, 'role'>, action: ExportAction): void {
  if (!can(org, action)) throw new ForbiddenError();
}

export function canExport(org: Pick<OrgContext, 'role'>, kind: ExportKind): boolean {
  return can(org, `export.${kind}`);
}

/** Whether the exports page has anything for this role. */
export function canExportAnything(org: Pick<OrgContext, 'role'>): boolean {
  return Object.keys(RULES).some((a) => can(org, a as ExportAction));
}
