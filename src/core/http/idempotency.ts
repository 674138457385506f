import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/pool.ts';
import { maskUrlSecrets } from '../observability/logging.ts';
import { isUuid } from '../schemas.ts';
import { flash } from '../views/flash.ts';
import { ConflictError } from './errors.ts';

/** The hidden field every form carries (rendered by CsrfField): a fresh key per rendered form. */
export const SUBMISSION_FIELD = '_submission';

export function newSubmissionKey(): string {
  return randomUUID();
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The submission key this request claimed; its outcome is recorded when the reply is sent. */
    submissionKey: string | null;
    /** Set when the form was refused (its input did not pass): the key is let go, not recorded. */
    submissionRefused: boolean;
  }
}

/**
 * Makes every form safe to submit twice. The first POST with a key claims it; a second
 * POST with the same key (a double click, a resent request, the back button) does not run
 * the handler again: it waits briefly for the first to finish and is sent where the first
 * one went. A submission that failed (4xx/5xx) releases its key, so the user can try again.
 */
export function registerFormIdempotency(app: FastifyInstance, db: Db, opts: { waitMs?: number } = {}): void {
  const waitMs = opts.waitMs ?? 5000;
  app.decorateRequest('submissionKey', null);
  app.decorateRequest('submissionRefused', false);

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || request.routeOptions.config.submissionGuard === false) return;
    const key = (request.body as Record<string, unknown> | undefined)?.[SUBMISSION_FIELD];
    if (typeof key !== 'string' || !isUuid(key)) return;
    const userId = request.viewer?.id ?? null;
    // Emailed links carry their token in the path: never keep it here.
    const path = maskUrlSecrets(request.url.split('?')[0] ?? '/');
    for (let attempt = 0; attempt < 2; attempt++) {
      const claimed = await db
        .insertInto('form_submissions')
        .values({ key, user_id: userId, method: request.method, path })
        .onConflict((oc) => oc.column('key').doNothing())
        .returning('key')
        .executeTakeFirst();
      if (claimed) {
        request.submissionKey = key;
        return;
      }
      const first = await outcomeOf(db, key, waitMs);
      if (!first) continue; // the first one failed and let go of the key: this one runs instead
      if (first.user_id === userId && first.location) {
        request.log.info({ submission: key }, 'repeated form submission answered with the first outcome');
        flash(reply, 'info', 'That form had already been submitted, so it was not sent twice. Here is the result.');
        return reply.redirect(first.location, 303);
      }
      throw new ConflictError(
        first.completed_at
          ? 'This form was already submitted, so it was not submitted again. Reload the page to see the current state.'
          : 'This form is still being processed. Wait a moment, then reload the page to see the result.',
      );
    }
    throw new ConflictError(
      'This form is being submitted from somewhere else at the same time. Reload the page and try again.',
    );
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const key = request.submissionKey;
    if (!key) return payload;
    request.submissionKey = null;
    if (reply.statusCode >= 400 || request.submissionRefused) {
      await db.deleteFrom('form_submissions').where('key', '=', key).execute();
    } else {
      const location = reply.getHeader('location');
      await db
        .updateTable('form_submissions')
        .set({
          completed_at: sql<Date>`now()`,
          status_code: reply.statusCode,
          location: typeof location === 'string' ? location : null,
        })
        .where('key', '=', key)
        .execute();
    }
    return payload;
  });
}

async function outcomeOf(db: Db, key: string, waitMs: number) {
  const until = Date.now() + waitMs;
  for (;;) {
    const row = await db
      .selectFrom('form_submissions')
      .select(['user_id', 'completed_at', 'location'])
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row || row.completed_at || Date.now() > until) return row;
    await new Promise((r) => setTimeout(r, 50));
  }
}
