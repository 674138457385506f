// Test support for the vendor tests: the vendor form as a person fills it in, and what was
// written and audited.
import { useTestApp, type Agent } from '../../testing/harness.ts';

export const IBAN = 'DE89370400440532013000';
export const OTHER_IBAN = 'GB82WEST12345698765432';

export function vendorForm(over: Record<string, string> = {}): Record<string, string> {
  return {
    name: 'Acme GmbH',
    tax_id: 'DE 123.456.789',
    iban: 'de89 3704 0044 0532 0130 00',
    bic: 'cobadeffxxx',
    account_number: '',
    default_currency: 'EUR',
    email: 'billing@acme.test',
    ...over,
  };
}

/** Loads a page (for its CSRF token), then posts. */
export async function post(agent: Agent, page: string, url: string, fields: Record<string, string> = {}) {
  await agent.get(page);
  return agent.post(url, fields);
}

/** The app, and the reads of an org's vendors and their audit entries. */
export function useVendorsApp() {
  const t = useTestApp();
  return {
    t,
    vendors: (orgId: string) =>
      t.owner.selectFrom('vendors').selectAll().where('org_id', '=', orgId).orderBy('created_at').execute(),
    auditOf: (orgId: string, prefix = 'vendor.') =>
      t.owner
        .selectFrom('audit_log')
        .select(['action', 'changes'])
        .where('org_id', '=', orgId)
        .where('action', 'like', `${prefix}%`)
        .orderBy('id')
        .execute(),
  };
}
