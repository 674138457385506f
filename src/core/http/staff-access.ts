// Who may use the back-office (/staff). A staff role is separate from org membership: staff
// see an org without being a member. Each /staff route names one of these accesses.

export const STAFF_ROLES = ['support', 'operator', 'superuser'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const STAFF_ROLE_LABELS: Record<StaffRole, string> = {
  support: 'Support',
  operator: 'Operator',
  superuser: 'Superuser',
};

/** What each role is for, as the README's back-office table and `ledgerworks staff` show it. */
export const STAFF_ROLE_DUTIES: Record<StaffRole, string> = {
  support: 'reads everything; account actions; impersonation',
  operator: 'reads everything; task, import, export, mail and CSP operations; no impersonation',
  superuser: 'all of it, plus managing staff and the destructive actions',
};

/** The accesses a /staff route may declare, and the staff roles each lets in. */
export const STAFF_ACCESS = {
  'staff:any': STAFF_ROLES,
  'staff:support': ['support', 'superuser'],
  'staff:operator': ['operator', 'superuser'],
  'staff:superuser': ['superuser'],
} as const satisfies Record<string, readonly StaffRole[]>;

export type StaffAccess = keyof typeof STAFF_ACCESS;

export const STAFF_PREFIX = '/staff';

export function isStaffAccess(access: string): access is StaffAccess {
  return Object.hasOwn(STAFF_ACCESS, access);
}

export function isStaffUrl(url: string): boolean {
  return url === STAFF_PREFIX || url.startsWith(`${STAFF_PREFIX}/`);
}

export function staffMay(role: StaffRole | null | undefined, access: StaffAccess): boolean {
  return !!role && (STAFF_ACCESS[access] as readonly StaffRole[]).includes(role);
}

export function isStaffRole(value: string): value is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(value);
}
