// The invitation mail: who invites whom into which org, with the single-use link.
import type { Tx } from '../../core/db/pool.ts';
import type { Links } from '../../core/mail/links.ts';
import { queueMail } from '../../core/mail/mail.ts';
import type { Role } from '../../core/roles.ts';
import { invitationPaths } from './paths.ts';

export async function sendInvitationMail(
  tx: Tx,
  links: Links,
  org: { id: string; name: string },
  inv: { id: string; email: string; role: Role },
  token: string,
  inviter: string,
  sendNo: number,
) {
  await queueMail(tx, org.id, {
    dedupeKey: `invitation:${inv.id}:${sendNo}`,
    to: inv.email,
    subject: `${inviter} invited you to ${org.name} on Ledgerworks`,
    text: [
      'Hello,',
      '',
      `${inviter} invited you to join ${org.name} on Ledgerworks as ${/^[aeiou]/.test(inv.role) ? 'an' : 'a'} ${inv.role}.`,
      '',
      'Accept or decline the invitation here (the link works for 7 days, once):',
      links.appLink(invitationPaths.link(token)),
      '',
      `This invitation is for ${inv.email} only. If you did not expect it, you can ignore this email or decline.`,
      '',
      '— Ledgerworks',
    ].join('\n'),
  });
}
