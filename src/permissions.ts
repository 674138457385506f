// The permission table of the whole product, built from each module's policy. The README
// shows it (a test keeps them identical) and `ledgerworks permissions` prints it.
import { ROLES } from './core/db/schema.ts';
import type { PolicyRules } from './core/http/policy.ts';
import { RULES as importRules } from './modules/imports/policy.ts';
import { RULES as exportRules } from './modules/exports/policy.ts';
import { RULES as invitationRules } from './modules/invitations/policy.ts';
import { RULES as invoiceRules } from './modules/invoices/policy.ts';
import { RULES as orgRules } from './modules/orgs/policy.ts';
import { RULES as payoutRules } from './modules/payouts/policy.ts';
import { RULES as reportRules } from './modules/reports/policy.ts';
import { RULES as vendorRules } from './modules/vendors/policy.ts';

/** Every module policy, by module name. */
export const POLICIES: Record<string, PolicyRules> = {
  orgs: orgRules,
  invitations: invitationRules,
  vendors: vendorRules,
  invoices: invoiceRules,
  payouts: payoutRules,
  imports: importRules,
  exports: exportRules,
  reports: reportRules,
};

export function permissionTable(): string {
  const lines = [`| action | ${ROLES.join(' | ')} |`, `| --- | ${ROLES.map(() => '---').join(' | ')} |`];
  for (const rules of Object.values(POLICIES)) {
    for (const rule of Object.values(rules)) {
      lines.push(`| ${rule.label} | ${ROLES.map((r) => (rule.roles.includes(r) ? '✓' : '')).join(' | ')} |`);
    }
  }
  return lines.join('\n');
}
