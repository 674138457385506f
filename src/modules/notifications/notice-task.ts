// How another module queues its notices: a task of its own, enqueued in the transaction of the
// change (so a change that rolls back notifies nobody), that runs in the org's transaction,
// reads its record as it is then, composes the notice and hands it to deliverNotice.
import type { z } from 'zod';
import type { Tx } from '../../core/db/pool.ts';
import type { Links } from '../../core/mail/links.ts';
import { defineTask, type TaskContext, type TaskDef } from '../../core/tasks/tasks.ts';
import type { NoticeOutcome } from './notify.ts';

/** Why a notice task sent nothing: the record moved on before the task ran. */
export type NoticeSkipped = { skipped: string };

function orgOf(ctx: TaskContext): string {
  if (!ctx.orgId) throw new Error('a notification task runs in the org of its event');
  return ctx.orgId;
}

export function defineNoticeTask<I>(spec: {
  name: string;
  label: string;
  input: z.ZodType<I>;
  notify: (tx: Tx, links: Links, orgId: string, input: I) => Promise<NoticeOutcome | NoticeSkipped>;
}): TaskDef<I> {
  return defineTask({
    name: spec.name,
    label: spec.label,
    input: spec.input,
    maxAttempts: 5,
    run: async (input, ctx) => ctx.transaction((tx) => spec.notify(tx, ctx.links, orgOf(ctx), input)),
  });
}
