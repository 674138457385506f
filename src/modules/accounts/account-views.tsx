// The account pages, one file per page; the account routes import them from here.
export { AccountPage } from './account-page-views.tsx';
export { ChangePasswordPage } from './change-password-views.tsx';
export { DeleteAccountPage } from './delete-account-views.tsx';
export { ConfirmEmailPage, DeadLinkPage, ReportEmailPage } from './email-link-views.tsx';
export { NotificationsPage } from './notification-settings-views.tsx';
export { ForgotPasswordPage, ResetLinkSentPage, ResetPasswordPage } from './password-reset-views.tsx';
export { SessionsPage } from './sessions-views.tsx';
