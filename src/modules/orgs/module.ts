import { defineModule } from '../../core/module.ts';
import { membershipsList, organizationsList } from './admin.tsx';
import { ORG_AUDIT, MEMBER_AUDIT, SUPPORT_ACCESS_AUDIT, TASK_AUDIT } from './audit.ts';
import { RULES } from './policy.ts';
import { accountOrgRoutes, orgPageRoutes } from './routes.ts';
import { supportAccessRoutes } from './support-access-routes.ts';
import { orgPaths } from './paths.ts';

/** Organizations and memberships: members, settings, activity. */
export const orgsModule = defineModule({
  name: 'orgs',
  auditActions: [ORG_AUDIT, MEMBER_AUDIT, TASK_AUDIT, SUPPORT_ACCESS_AUDIT],
  policy: RULES,
  admin: [organizationsList, membershipsList],
  routes: [...accountOrgRoutes, ...orgPageRoutes, ...supportAccessRoutes],
  nav: [
    { label: 'Members', path: (slug) => orgPaths.members(slug), order: 80, action: 'org.view_members', more: true },
    { label: 'Activity', path: (slug) => orgPaths.activity(slug), order: 90, action: 'org.view_activity', more: true },
    {
      label: 'Settings',
      path: (slug) => orgPaths.settings(slug),
      order: 95,
      action: 'org.manage_settings',
      more: true,
    },
  ],
});
