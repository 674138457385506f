import { defineModule } from '../../core/module.ts';
import { sessionsList, usersList } from './admin.tsx';
import { ACCOUNT_AUDIT } from './audit.ts';
import { accountSettingsRoutes } from './account-routes.ts';
import { emailLinkRoutes } from './email-link-routes.ts';
import { sendPasswordReset } from './password-reset.ts';
import { accountRoutes } from './routes.ts';
import { registerSessions, sessionSettings } from './sessions.ts';
import { sendWelcomeEmail } from './tasks.ts';
import { logInCodeRoutes, twoFactorRoutes } from './two-factor-routes.ts';

/** People and their sessions: sign-up, sign-in (with two-factor), the account pages, emailed links. */
export const accountsModule = defineModule({
  name: 'accounts',
  auditActions: [ACCOUNT_AUDIT],
  routes: [...accountRoutes, ...logInCodeRoutes, ...twoFactorRoutes, ...accountSettingsRoutes, ...emailLinkRoutes],
  tasks: [sendWelcomeEmail, sendPasswordReset],
  admin: [usersList, sessionsList],
  // Every request learns who is signed in before any route runs.
  requestHooks: (app, { db, settings }) => registerSessions(app, db, sessionSettings(settings)),
});
