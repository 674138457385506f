import type { ExportKind } from './kinds.ts';
import { definePolicy, defineRules, ROLE_GROUPS, type PolicyRules } from '../../core/http/policy.ts';

import type { OrgContext } from '../../core/http/types.ts';

const { financeReaders, managers } = ROLE_GROUPS;

/**
 * Who may take the org's data away as a file. The audit log says who did what to whom, so
 * only the people who run the org export it. The README's table is generated from this.
 */
export const RULES = defineRules({
  'export.invoices': { roles: financeReaders, label: 'export invoices as CSV (with the queue’s filters)' },
  'export.vendors': { roles: financeReaders, label: 'export vendors as CSV (payment details masked)' },
  'export.audit_log': { roles: managers, label: 'export the audit log as CSV' },
}) satisfies Record<`export.${ExportKind}`, PolicyRules[string]>;

export type ExportAction = keyof typeof RULES;

export const { can, authorize } = definePolicy(RULES);

export function canExport(org: Pick<OrgContext, 'role'>, kind: ExportKind): boolean {
  return can(org, `export.${kind}`);
}

/** Whether the exports page has anything for this role. */
export function canExportAnything(org: Pick<OrgContext, 'role'>): boolean {
  return Object.keys(RULES).some((a) => can(org, a as ExportAction));
}
