import type { Settings } from './config/settings.ts';
import { linksFor, type Links } from './mail/links.ts';
import { createTransport, type Mailer } from './mail/transport.ts';
import { secretKeys, type SecretKeys } from './security/secret-box.ts';

/**
 * What one app derives from its settings, built once at start and handed to every route
 * handler and every task run: nothing of it lives in a module-level variable, so two apps
 * with different settings can run in one process.
 */
export type AppServices = {
  settings: Settings;
  /** Absolute links for emails, from BASE_URL. */
  links: Links;
  /** The keys derived from SECRET_KEY that seal secrets (TOTP) and hash recovery codes. */
  secrets: SecretKeys;
  /** How the outbox is delivered (SMTP_URL) and its From (MAIL_FROM). */
  mail: Mailer;
};

export function appServices(settings: Settings): AppServices {
  return {
    settings,
    links: linksFor(settings.baseUrl),
    secrets: secretKeys(settings.secretKey),
    mail: { transport: createTransport(settings.smtpUrl), from: settings.mailFrom },
  };
}
