// How a message's delivery state reads in the back-office: the outbox list, a message's page, the overview.
export const MAIL_STATUSES = ['queued', 'sending', 'sent', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];
export const MAIL_TONE = { queued: 'neutral', sending: 'blue', sent: 'green', failed: 'red' } as const;
