// Test support for the password reset tests: asking for a reset from a fresh browser, waiting
// for its mail, and a page without its per-request secrets.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { Agent, eventually, type TestApp } from '../../../testing/harness.ts';
import { mailsTo, tokenIn } from '../test-helpers.ts';

let ipCounter = 0;

/** Asking for resets in the app `t`, each from a client address of its own unless told. */
export function passwordResetHelpers(t: TestApp) {
  function freshAgent() {
    ipCounter += 1;
    return new Agent(t.app, `10.40.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`);
  }

  async function requestReset(email: string, agent = freshAgent()) {
    await agent.get('/password/forgot');
    return agent.post('/password/forgot', { email }, { submission: agent.submissionKey ?? undefined });
  }

  /** Waits until every reset task for this address has run. */
  async function resetTasksDone(email: string, count = 1) {
    await eventually(
      async () => {
        const runs = await t.owner
          .selectFrom('task_runs')
          .select('status')
          .where('task', '=', 'accounts.send_password_reset')
          .where(sql<string>`input->>'email'`, '=', email)
          .execute();
        return runs.length >= count && runs.every((r) => r.status === 'succeeded');
      },
      10_000,
      `reset task for ${email}`,
    );
  }

  async function resetLink(email: string): Promise<string> {
    await resetTasksDone(email);
    const mail = (await mailsTo(t.owner, email)).find((m) => m.subject === 'Reset your Ledgerworks password');
    assert.ok(mail, 'a reset email was sent');
    return tokenIn(mail.text_body, '/password/reset/');
  }

  return { freshAgent, requestReset, resetTasksDone, resetLink };
}

export /** A page without its per-request secrets (CSRF token, submission key, CSP nonce). */
const normalize = (body: string) =>
  body
    .replace(/value="[^"]*"/g, 'value=""')
    .replace(/nonce="[^"]*"/g, 'nonce=""')
    .replace(/x-csrf-token&quot;:&quot;[^&]*&quot;/g, 'x-csrf-token&quot;:&quot;&quot;');
