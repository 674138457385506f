// The invitations module's addresses: an org's invitations, and the invited person's link.
import { orgPath } from '../../core/http/paths.ts';

export const invitationPaths = {
  list: (slug: string) => orgPath(slug, 'invitations'),
  action: (slug: string, id: string, verb: 'resend' | 'revoke') => orgPath(slug, 'invitations', id, verb),
  /** The link in the invitation mail. */
  link: (token: string) => `/invitations/${token}`,
  answer: (token: string, verb: 'accept' | 'decline') => `/invitations/${token}/${verb}`,
} as const;
