import { auditActions } from '../../core/audit/actions.ts';

/** A person’s choice of which notices they get, and how. */
export const PREFERENCES_AUDIT = auditActions('account', ['notification_preferences_changed']);
