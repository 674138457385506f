import { defineModule } from '../../core/module.ts';
import { invitationsList } from './admin.tsx';
import { INVITATION_AUDIT } from './audit.ts';
import { RULES } from './policy.ts';
import { invitationLinkRoutes, invitationPageRoutes } from './routes.ts';

/** Inviting people into an organization, and the link the invitee opens. */
export const invitationsModule = defineModule({
  name: 'invitations',
  auditActions: [INVITATION_AUDIT],
  policy: RULES,
  admin: [invitationsList],
  routes: [...invitationLinkRoutes, ...invitationPageRoutes],
});
