import { z } from 'zod';
import { uuid } from '../../core/schemas.ts';
import { defineTask, TaskCancelled, type TaskContext } from '../../core/tasks/tasks.ts';
import { runApply } from './apply.ts';
import { markFailed, runCheck } from './check.ts';

const MAX_ATTEMPTS = 3;

/** On the last attempt, the import itself shows the failure (and offers "Try again"). */
async function lastAttemptFails<T>(
  ctx: TaskContext,
  importId: string,
  stage: 'check' | 'apply',
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (ctx.attempt >= ctx.maxAttempts && ctx.orgId && !(err instanceof TaskCancelled)) {
      const message = err instanceof Error ? err.message : String(err);
      await ctx.transaction((tx) => markFailed(tx, { org_id: ctx.orgId!, id: importId }, stage, message));
    }
    throw err;
  }
}

export const checkImport = defineTask({
  name: 'imports.check',
  label: 'Check an import file',
  input: z.object({ importId: uuid() }),
  maxAttempts: MAX_ATTEMPTS,
  run: ({ importId }, ctx) => lastAttemptFails(ctx, importId, 'check', () => runCheck(ctx, ctx.orgId!, importId)),
});

export const applyImport = defineTask({
  name: 'imports.apply',
  label: 'Import checked rows',
  input: z.object({ importId: uuid(), userId: uuid() }),
  maxAttempts: MAX_ATTEMPTS,
  run: ({ importId, userId }, ctx) =>
    lastAttemptFails(ctx, importId, 'apply', () => runApply(ctx, ctx.orgId!, importId, userId)),
});
