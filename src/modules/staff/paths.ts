// The back-office's addresses.
export const staffPaths = {
  home: '/staff',
  teamRole: '/staff/team/role',
  impersonate: (userId: string) => `/staff/users/${userId}/impersonate`,
  user: (userId: string) => `/staff/users/${userId}`,
  userAction: (userId: string, verb: 'unlock' | 'send-reset' | 'revoke-sessions' | 'disable' | 'enable') =>
    `/staff/users/${userId}/${verb}`,
  confirm: (next?: string, reason?: 'expired' | 'idle' | 'destructive') => {
    const q = new URLSearchParams();
    if (next && next !== '/staff') q.set('next', next);
    if (reason) q.set('reason', reason);
    const s = q.toString();
    return s ? `/staff/confirm?${s}` : '/staff/confirm';
  },
} as const;
