import type { Links } from '../../core/mail/links.ts';

// The texts of the account emails. Each says what happened and what to do if it was not you.

type Mail = { subject: string; text: string };

/** A greeting, the lines, the signature. */
export function accountMail(subject: string, name: string, lines: string[]): Mail {
  return { subject, text: [`Hello ${name},`, '', ...lines, '', '— Ledgerworks'].join('\n') };
}

export function passwordResetMail(links: Links, name: string, token: string): Mail {
  return accountMail('Reset your Ledgerworks password', name, [
    'Someone (hopefully you) asked to reset the password of your Ledgerworks account.',
    'To choose a new password, open this link within the next hour:',
    links.appLink(`/password/reset/${token}`),
    '',
    'If you did not ask for this, ignore this message: your password stays as it is.',
  ]);
}

export function passwordChangedMail(links: Links, name: string, how: 'reset' | 'changed'): Mail {
  return accountMail('Your Ledgerworks password was changed', name, [
    how === 'reset'
      ? 'The password of your Ledgerworks account was just reset with a link sent to this address. Every device was signed out.'
      : 'The password of your Ledgerworks account was just changed. Every other device was signed out.',
    '',
    'If this was not you, reset your password now and tell your administrator:',
    links.appLink('/password/forgot'),
  ]);
}

export function emailChangeConfirmMail(links: Links, name: string, newEmail: string, token: string): Mail {
  return accountMail('Confirm your new Ledgerworks email address', name, [
    `You asked to use ${newEmail} for your Ledgerworks account. To confirm, open this link within 24 hours:`,
    links.appLink(`/account/email/confirm/${token}`),
    '',
    'Until you confirm, your account keeps its current address. If you did not ask for this, ignore this message.',
  ]);
}

export function emailChangeNoticeMail(links: Links, name: string, newEmail: string, token: string): Mail {
  return accountMail('Your Ledgerworks email address is being changed', name, [
    `Someone signed in to your Ledgerworks account asked to change its email address to ${newEmail}.`,
    'The change takes effect once it is confirmed from that address.',
    '',
    'If this was not you, open this link: it cancels the change and signs out every device.',
    links.appLink(`/account/email/report/${token}`),
  ]);
}

export function emailChangedMail(name: string, newEmail: string): Mail {
  return accountMail('Your Ledgerworks email address was changed', name, [
    `Your Ledgerworks account now uses ${newEmail} to sign in and to receive messages.`,
  ]);
}

export function emailChangeReportedMail(links: Links, name: string): Mail {
  return accountMail('We cancelled the email change on your Ledgerworks account', name, [
    'You told us you did not ask to change your email address. Any pending change was cancelled and every device was signed out.',
    'Someone may know your password: choose a new one now.',
    links.appLink('/password/forgot'),
  ]);
}

export function accountDeactivatedMail(name: string): Mail {
  return accountMail('Your Ledgerworks account was deleted', name, [
    'Your Ledgerworks account was deleted: you were signed out everywhere and removed from your organizations.',
    'Records you created stay in your organizations’ history, as their audit trail requires.',
    '',
    'If you did not do this, contact your administrator at once.',
  ]);
}
