// Settings are passed in, never kept in a module-level variable: two apps with different
// settings run side by side in one process, and each mails its own links and seals with its own keys.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { openTotpSecret } from './modules/accounts/two-factor/two-factor.ts';
import { mailsTo, tokenIn, userId } from './modules/accounts/test-helpers.ts';
import { Agent, eventually, signUp, useTestApp, type TestApp } from './testing/harness.ts';

// Both apps are built (in this order) before any test runs: with a shared registry, the second would win for both.
const a = useTestApp({ BASE_URL: 'https://a.example', SECRET_KEY: 'app-a-secret-key-0123456789-abcdefghijkl' });
const b = useTestApp({ BASE_URL: 'https://b.example', SECRET_KEY: 'app-b-secret-key-9876543210-zyxwvutsrqpo' });

async function mailWith(t: TestApp, email: string, subject: string) {
  return eventually(
    async () => (await mailsTo(t.owner, email)).find((m) => m.subject === subject),
    10_000,
    `"${subject}" to ${email}`,
  );
}

/** Asks for a reset through the real form; the worker of this app writes the mail. */
async function resetThroughForm(t: TestApp, email: string): Promise<string> {
  const agent = new Agent(t.app, '10.77.0.1');
  await agent.get('/password/forgot');
  await agent.post('/password/forgot', { email }, { submission: agent.submissionKey ?? undefined });
  const mail = await mailWith(t, email, 'Reset your Ledgerworks password');
  const token = tokenIn(mail.text_body, '/password/reset/');
  await agent.get(`/password/reset/${token}`);
  assert.equal((await agent.post(`/password/reset/${token}`, { password: 'a brand new password' })).statusCode, 303);
  return mail.text_body;
}

describe('two apps with different settings in one process', () => {
  before(async () => {
    await a.startWorker();
    await b.startWorker();
  });

  it("each app's mails link to its own BASE_URL: from its tasks and from its request handlers", async () => {
    for (const [t, base, other] of [
      [a, 'https://a.example', 'https://b.example'],
      [b, 'https://b.example', 'https://a.example'],
    ] as const) {
      const { email, slug } = await signUp(t.app);
      // Written by a task (the welcome mail, the reset link), then by a handler (the reset itself).
      const welcome = await mailWith(t, email, 'Welcome to Ledgerworks');
      assert.ok(welcome.text_body.includes(`${base}/o/${slug}`), welcome.text_body);
      const reset = await resetThroughForm(t, email);
      assert.match(reset, new RegExp(`${base.replace(/\./g, '\\.')}/password/reset/[A-Za-z0-9_-]{20,}`));
      const changed = await mailWith(t, email, 'Your Ledgerworks password was changed');
      assert.ok(changed.text_body.includes(`${base}/password/forgot`), changed.text_body);
      for (const m of await mailsTo(t.owner, email)) assert.ok(!m.text_body.includes(other), m.text_body);
    }
  });

  it("a TOTP secret sealed with one app's SECRET_KEY does not open with the other's", async () => {
    const person = await signUp(a.app);
    await person.agent.get('/account/two-factor');
    assert.equal((await person.agent.post('/account/two-factor/setup', {})).statusCode, 303);
    const id = await userId(a.owner, person.email);
    const { totp_secret: sealed } = await a.owner
      .selectFrom('users')
      .select('totp_secret')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.ok(sealed, 'a sealed secret is stored');
    assert.match(openTotpSecret(a.services.secrets, id, sealed), /^[A-Z2-7]+=*$/);
    assert.throws(() => openTotpSecret(b.services.secrets, id, sealed));
    // App A itself still reads it: its two-factor page shows the secret to scan.
    const page = await person.agent.get('/account/two-factor');
    const shown = /class="two-factor-secret">([A-Z2-7 ]+)</.exec(page.body)?.[1]?.replace(/ /g, '');
    assert.equal(shown, openTotpSecret(a.services.secrets, id, sealed));
  });
});
