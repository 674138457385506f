import { auditActions } from '../../core/audit/actions.ts';

/** What happens to an organization. */
export const ORG_AUDIT = auditActions('org', ['created', 'settings_changed', 'billing_email_changed', 'deleted']);

/** Who is a member, with which role and limit. */
export const MEMBER_AUDIT = auditActions('member', [
  'added',
  'joined',
  'role_changed',
  'approval_limit_changed',
  'removed',
  'left',
]);

/** A failed background run started again by a person. */
export const TASK_AUDIT = auditActions('task', ['retried']);

/** Whether support may sign in as the org's members without asking, and the grants owners give. */
export const SUPPORT_ACCESS_AUDIT = auditActions('support_access', ['mode_changed', 'granted', 'revoked']);
