import { defineModule } from '../../core/module.ts';
import { cleanup } from '../../core/tasks/housekeeping.ts';
import { endExpiredImpersonations } from './impersonation/impersonation.ts';
import { ACCOUNT_AUDIT, IMPERSONATION_AUDIT } from './audit.ts';
import { accountDeletionRoutes } from './deletion/routes.ts';
import { emailChangeLinkRoutes } from './email-change/routes.ts';
import { impersonationRoutes } from './impersonation/routes.ts';
import { sendPasswordReset } from './password-reset/password-reset.ts';
import { passwordResetRoutes } from './password-reset/routes.ts';
import { registerSessions, sessionSettings } from './sessions/cookies.ts';
import { sessionRoutes } from './sessions/routes.ts';
import { accountSettingsRoutes } from './settings/routes.ts';
import { accountRoutes } from './sign-in/routes.ts';
import { sessionsList, usersList } from './admin.tsx';
import { sendWelcomeEmail } from './tasks.ts';
import { logInCodeRoutes, twoFactorRoutes } from './two-factor/routes.ts';

/**
 * People and their sessions. One folder per concern: sign-in/ (sign-up, sign-in, lockout,
 * re-authentication), two-factor/, sessions/ (cookies, devices), password-reset/, email-change/,
 * settings/ (the account pages), deletion/. Other modules use service.ts.
 */
export const accountsModule = defineModule({
  name: 'accounts',
  auditActions: [ACCOUNT_AUDIT, IMPERSONATION_AUDIT],
  routes: [
    ...accountRoutes,
    ...logInCodeRoutes,
    ...twoFactorRoutes,
    ...accountSettingsRoutes,
    ...sessionRoutes,
    ...accountDeletionRoutes,
    ...passwordResetRoutes,
    ...emailChangeLinkRoutes,
    ...impersonationRoutes,
  ],
  tasks: [sendWelcomeEmail, sendPasswordReset],
  cleanups: [
    cleanup({
      name: 'accounts.end_expired_impersonations',
      label: 'Close impersonations whose time ran out',
      cron: '*/10 * * * *',
      remove: (db) => endExpiredImpersonations(db, { requestId: 'accounts.end_expired_impersonations', ip: null }),
    }),
  ],
  admin: [usersList, sessionsList],
  // Every request learns who is signed in before any route runs.
  requestHooks: (app, { db, settings }) => registerSessions(app, db, sessionSettings(settings)),
});
