// How a task run's state reads in the back-office: the list, the run's page, the operations overview.
import type { TaskStatus } from './runs.ts';

export const TASK_STATUS: Record<TaskStatus, { label: string; tone: 'neutral' | 'blue' | 'amber' | 'green' | 'red' }> =
  {
    queued: { label: 'Queued', tone: 'neutral' },
    running: { label: 'Running', tone: 'blue' },
    retrying: { label: 'Failed, will retry', tone: 'amber' },
    succeeded: { label: 'Done', tone: 'green' },
    failed: { label: 'Failed for good', tone: 'red' },
  };

export const TASK_STATUSES = Object.keys(TASK_STATUS) as TaskStatus[];

/** The state in a sentence ("this run is waiting to retry"): what refusals and the actions card say. */
export const TASK_STATUS_WORDS: Record<TaskStatus, string> = {
  queued: 'queued',
  running: 'running',
  retrying: 'waiting to retry',
  succeeded: 'done',
  failed: 'failed for good',
};
