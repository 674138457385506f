// The actions on a task run's back-office page, each saying what will happen before it happens
// and asking once more in the browser. Each form carries the state the operator saw, so a run
// that moved on meanwhile is refused rather than acted on blindly.
import type { TaskRun } from '../db/schema.ts';
import { PostForm } from '../views/forms.tsx';
import { RUN_ACTIONS, type RunAction } from './run-actions.ts';
import { TASK_STATUS_WORDS } from './task-status.ts';

export const runActionPath = (runId: string, action: RunAction) => `/staff/task-runs/${runId}/${action}`;

const can = (action: RunAction, run: Pick<TaskRun, 'status'>) =>
  (RUN_ACTIONS[action] as readonly string[]).includes(run.status);

function ActionForm(props: {
  run: Pick<TaskRun, 'id' | 'status'>;
  action: RunAction;
  csrfToken: string;
  label: string;
  confirm: string;
  danger?: boolean;
}) {
  return (
    <PostForm action={runActionPath(props.run.id, props.action)} csrfToken={props.csrfToken} confirm={props.confirm}>
      <input type="hidden" name="status" value={props.run.status} />
      <button class={props.danger ? 'button button-danger' : 'button'} type="submit">
        {props.label}
      </button>
    </PostForm>
  );
}

export function RunActions(props: {
  csrfToken: string;
  run: Pick<TaskRun, 'id' | 'status' | 'task' | 'attempts' | 'max_attempts'> & { retried_by: string | null };
  jobHeld: boolean;
}) {
  const { run, csrfToken } = props;
  if (!can('retry', run) && !can('cancel', run))
    return <p class="muted">Nothing to do here: this run is {TASK_STATUS_WORDS[run.status]}.</p>;
  if (props.jobHeld) return <p class="muted">A worker holds this run's job right now; look again in a minute.</p>;
  return (
    <div class="stack">
      {run.status === 'failed' &&
        (run.retried_by ? (
          <p class="muted">This run was retried already: the newer run is linked above.</p>
        ) : (
          <div>
            <p class="small">
              Runs {run.task} again as a new run with the same input. This run keeps its error, and links to the new
              one.
            </p>
            <ActionForm
              run={run}
              action="retry"
              csrfToken={csrfToken}
              label="Retry now"
              confirm={`Run ${run.task} again now, as a new run?`}
            />
          </div>
        ))}
      {run.status === 'retrying' && (
        <div>
          <p class="small">
            Moves its next attempt (attempt {run.attempts + 1} of {run.max_attempts}) to now, instead of waiting for the
            backoff.
          </p>
          <ActionForm
            run={run}
            action="retry"
            csrfToken={csrfToken}
            label="Retry now"
            confirm={`Run the next attempt of ${run.task} now?`}
          />
        </div>
      )}
      {can('cancel', run) && (
        <div>
          <p class="small">
            Its job is failed for good and never runs; the run reads "Failed for good: cancelled from the back-office".
            What started it (an import, an export) keeps its own state: cancel that on its own page.
          </p>
          <ActionForm
            run={run}
            action="cancel"
            csrfToken={csrfToken}
            label="Cancel the run"
            confirm={`Cancel ${run.task}? Its job will never run.`}
            danger
          />
        </div>
      )}
    </div>
  );
}
