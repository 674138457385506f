// Test support for invitations: sending one through the form, and the link its email holds.
import assert from 'node:assert/strict';
import { signUp, type Agent, type TestApp } from '../../testing/harness.ts';

/** The id of the invitation to `email` (there is one). */
export async function invitationIdOf(t: TestApp, email: string): Promise<string> {
  return (await t.owner.selectFrom('invitations').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

/** The invitation link from the newest invitation email to `email`. */
export async function inviteLink(t: TestApp, email: string): Promise<string> {
  const mail = await t.owner
    .selectFrom('mail_outbox')
    .select('text_body')
    .where('to_address', '=', email)
    .where('subject', 'like', '%invited you%')
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  const m = /https?:\/\/[^/\s]+(\/invitations\/[A-Za-z0-9_-]+)/.exec(mail.text_body);
  assert.ok(m, 'the email holds an invitation link');
  return m[1]!;
}

/** Sends the invitation form as `owner` (an owner or admin of the org `slug`). */
export async function invite(
  owner: { agent: Agent; slug: string },
  email: string,
  role = 'member',
  opts: { submission?: string } = {},
) {
  await owner.agent.get(`/o/${owner.slug}/invitations`);
  return owner.agent.post(`/o/${owner.slug}/invitations`, { email, role }, opts);
}

/**
 * A fresh person's org (named `org` if given) that has invited `email` as `role` (member unless
 * told): its owner, and the link the invitation email holds.
 */
export async function sentInvitation(t: TestApp, email: string, opts: { org?: string; role?: string } = {}) {
  const owner = await signUp(t.app, opts.org ? { org: opts.org } : {});
  await invite(owner, email, opts.role);
  return { owner, link: await inviteLink(t, email) };
}

let n = 0;
export const newAddress = () => `invitee${++n}.${Date.now()}@example.test`;
