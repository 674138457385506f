// The operators' actions on a task run's back-office page: validated input, one service call
// (which checks the staff role again and audits), back to the run's page with what happened.
import { z } from 'zod';
import { recordPath } from '../admin/records.ts';
import { requireActor } from '../http/auth.ts';
import { recordId } from '../http/params.ts';
import { route } from '../http/routes.ts';
import { flash } from '../views/flash.ts';
import { cancelRun, retryRunNow } from './run-actions.ts';
import { TASK_STATUSES } from './task-status.ts';

const params = z.object({ runId: recordId });
/** The state the operator saw: the service refuses a run that has moved on since. */
const body = z.object({ status: z.enum(TASK_STATUSES) });

export const taskRunRoutes = [
  route({
    method: 'POST',
    url: '/staff/task-runs/:runId/retry',
    access: 'staff:operator',
    params,
    body,
    example: { body: { status: 'failed' } },
    handler: async (request, reply, { db, tasks }) => {
      const { runId } = request.params;
      const done = await retryRunNow(db, tasks, requireActor(request), runId, request.body.status);
      if (done.kind === 'now') {
        flash(reply, 'success', 'Its next attempt runs now: a worker takes it within seconds.');
        return reply.redirect(recordPath('task-runs', { id: runId }), 303);
      }
      flash(reply, 'success', 'The task runs again as this new run; the failed one keeps its error.');
      return reply.redirect(recordPath('task-runs', { id: done.runId }), 303);
    },
  }),
  route({
    method: 'POST',
    url: '/staff/task-runs/:runId/cancel',
    access: 'staff:operator',
    params,
    body,
    example: { body: { status: 'queued' } },
    handler: async (request, reply, { db }) => {
      const { runId } = request.params;
      await cancelRun(db, requireActor(request), runId, request.body.status);
      flash(reply, 'success', 'The run is cancelled: its job will not run.');
      return reply.redirect(recordPath('task-runs', { id: runId }), 303);
    },
  }),
];
