// Statuses as people read them: one kind per kind of record, its words and tones in one place,
// so a tab, a badge and a filter never name the same status differently.
import type { TaskStatus } from '../tasks/runs.ts';
import { Badge } from './components.tsx';

export type Tone = 'neutral' | 'green' | 'red' | 'amber' | 'blue';

/** A status kind: the words (sentence case) and the tone of each of its statuses. */
export type StatusKind<S extends string> = Record<S, { label: string; tone: Tone }>;

/** The badge of one status of a kind (invoice, payout, run, import…). */
export function StatusBadge<S extends string>({ kind, status }: { kind: StatusKind<S>; status: S }) {
  const s = kind[status];
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

/** What a background run's status says to a person. */
export const TASK_RUN_STATUS: StatusKind<TaskStatus> = {
  queued: { label: 'Queued', tone: 'neutral' },
  running: { label: 'Running', tone: 'blue' },
  retrying: { label: 'Failed, will retry', tone: 'amber' },
  succeeded: { label: 'Done', tone: 'green' },
  failed: { label: 'Failed for good', tone: 'red' },
};

/** A message of the outbox. */
export const MAIL_STATUS: StatusKind<'queued' | 'sending' | 'sent' | 'failed'> = {
  queued: { label: 'Queued', tone: 'amber' },
  sending: { label: 'Sending', tone: 'amber' },
  sent: { label: 'Sent', tone: 'green' },
  failed: { label: 'Failed', tone: 'red' },
};
