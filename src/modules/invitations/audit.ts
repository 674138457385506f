import { auditActions } from '../../core/audit/actions.ts';

/** An invitation, from sending to its answer. */
export const INVITATION_AUDIT = auditActions('invitation', ['created', 'resent', 'revoked', 'accepted', 'declined']);
