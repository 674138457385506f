import type { Tx } from '../../../core/db/pool.ts';
import { queueMail } from '../../../core/mail/mail.ts';
import type { Links } from '../../../core/mail/links.ts';
import { accountMail } from '../emails.ts';

type Recipient = { id: string; email: string; name: string };

const NOTICES = {
  enabled: {
    subject: 'Two-factor authentication is on',
    body: 'Two-factor authentication was turned on for your Ledgerworks account. From now on, signing in asks for a code from your authenticator app.',
  },
  disabled: {
    subject: 'Two-factor authentication was turned off',
    body: 'Two-factor authentication was turned off for your Ledgerworks account. Signing in now needs only your password.',
  },
  recovery_code_used: {
    subject: 'A recovery code was used to sign in',
    body: 'One of your two-factor recovery codes was just used on your Ledgerworks account. Each code works once.',
  },
} as const;

/**
 * Tells the person about a change to how their account is protected, so a change they did
 * not make does not go unnoticed. `eventKey` makes the message unique to this one event.
 */
export async function queueTwoFactorNotice(
  tx: Tx,
  links: Links,
  user: Recipient,
  event: keyof typeof NOTICES,
  eventKey: string,
  extra: string[] = [],
): Promise<void> {
  const notice = NOTICES[event];
  await queueMail(tx, null, {
    dedupeKey: `two-factor-${event}:${user.id}:${eventKey}`,
    to: user.email,
    ...accountMail(notice.subject, user.name, [
      notice.body,
      ...extra,
      '',
      'If this was not you, reset your password now and check your two-factor settings:',
      links.appLink('/password/forgot'),
      links.appLink('/account/two-factor'),
    ]),
  });
}
