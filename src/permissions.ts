// The permission table of the whole product, built from each module's policy (through the
// module manifests). The README shows it (a test keeps them identical) and
// `ledgerworks permissions` prints it.
import { ROLES } from './core/roles.ts';
import type { PolicyRules } from './core/http/policy.ts';
import { MODULES } from './server.ts';

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
