import { defineModule } from '../../core/module.ts';
import { ORG_AUDIT, MEMBER_AUDIT, TASK_AUDIT } from './audit.ts';
import { RULES } from './policy.ts';
import { accountOrgRoutes, orgPageRoutes } from './routes.ts';
import { orgPaths } from './paths.ts';

/** Organizations and memberships: members, settings, activity. */
export const orgsModule = defineModule({
  name: 'orgs',
  auditActions: [ORG_AUDIT, MEMBER_AUDIT, TASK_AUDIT],
  policy: RULES,
  routes: [...accountOrgRoutes, ...orgPageRoutes],
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
