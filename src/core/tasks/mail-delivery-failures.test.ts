import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deliver } from '../mail/mail.ts';
import { buildMail } from '../../testing/factories.ts';
import { useTestApp } from '../../testing/harness.ts';

const t = useTestApp();

describe('mail delivery failures', () => {
  it('an SMTP refusal leaves the message queued for a retry, and marks it failed on the last attempt', async () => {
    const refusing = {
      transport: { send: async () => Promise.reject(new Error('550 mailbox unavailable')) },
      from: 'test@example.test',
    };
    const id = await buildMail(t, 'refused', { to_address: 'r@example.test' });
    const status = async () =>
      await t.owner
        .selectFrom('mail_outbox')
        .select(['status', 'error'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    await assert.rejects(deliver(t.db, refusing, id, { lastAttempt: false }), /550/);
    assert.deepEqual(await status(), { status: 'queued', error: '550 mailbox unavailable' });
    await assert.rejects(deliver(t.db, refusing, id, { lastAttempt: true }), /550/);
    assert.deepEqual(await status(), { status: 'failed', error: '550 mailbox unavailable' });
  });
});
