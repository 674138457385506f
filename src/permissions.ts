// The permission tables of the whole product: what each org role may do, built from each module's
// policy, and what each staff role may do in the back-office, built from the route table (every
// staff action declares its summary). The README shows both (a test keeps them identical) and
// `ledgerworks permissions` prints them.
import { ROLES } from './core/roles.ts';
import type { PolicyRules } from './core/http/policy.ts';
import { STAFF_ACCESS, STAFF_ROLES, isStaffAccess } from './core/http/staff-access.ts';
import { CATALOG, MODULES } from './server.ts';

/** Every module policy, by module name. */
export const POLICIES: Record<string, PolicyRules> = Object.fromEntries(
  MODULES.filter((m) => m.policy).map((m) => [m.name, m.policy!]),
);

export function permissionTable(): string {
  const lines = [`| action | ${ROLES.join(' | ')} |`, `| --- | ${ROLES.map(() => '---').join(' | ')} |`];
  for (const rules of Object.values(POLICIES)) {
    for (const rule of Object.values(rules)) {
      lines.push(`| ${rule.label} | ${ROLES.map((r) => (rule.roles.includes(r) ? '✓' : '')).join(' | ')} |`);
    }
  }
  return lines.join('\n');
}

/** What each staff role may do: reading, then every staff action of the route table. */
export function staffPermissionTable(): string {
  const row = (what: string, roles: readonly string[]) =>
    `| ${what} | ${STAFF_ROLES.map((r) => (roles.includes(r) ? '✓' : '')).join(' | ')} |`;
  const lines = [
    `| staff action | ${STAFF_ROLES.join(' | ')} |`,
    `| --- | ${STAFF_ROLES.map(() => '---').join(' | ')} |`,
  ];
  lines.push(
    row('open every back-office list and record page (each record page opened is audited)', STAFF_ACCESS['staff:any']),
  );
  for (const { route } of CATALOG.routes) {
    if (route.method === 'GET' || !isStaffAccess(route.access)) continue;
    lines.push(row(route.summary ?? `${route.method} ${route.url}`, STAFF_ACCESS[route.access]));
  }
  return lines.join('\n');
}
