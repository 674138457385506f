// Helpers shared by the account tests: read what the app mailed and audited.
import type { Db } from '../../core/db/pool.ts';

export function mailsTo(owner: Db, to: string) {
  return owner
    .selectFrom('mail_outbox')
    .select(['to_address', 'subject', 'text_body', 'dedupe_key'])
    .where('to_address', '=', to)
    .orderBy('created_at')
    .execute();
}

/** The token of the first link to `path` (e.g. /password/reset/) in a mail body. */
export function tokenIn(text: string, path: string): string {
  const escaped = path.replace(/[/.]/g, '\\$&');
  const m = new RegExp(`${escaped}([A-Za-z0-9_-]{20,})`).exec(text);
  if (!m?.[1]) throw new Error(`no ${path} link in: ${text}`);
  return m[1];
}

export function auditOf(owner: Db, userId: string, action: string) {
  return owner
    .selectFrom('audit_log')
    .select(['action', 'changes', 'ip', 'request_id', 'org_id'])
    .where('target_id', '=', userId)
    .where('action', '=', action)
    .execute();
}

export async function userId(owner: Db, email: string): Promise<string> {
  return (await owner.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}
