import { STAFF_ROLE_LABELS } from '../http/staff-access.ts';
import { CsrfField } from './components.tsx';
import type { PageContext } from './context.ts';

/** An impersonation lasts an hour at most: the time of day says when it ends. */
function endsAt(d: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeStyle: 'short', timeZone: zone }).format(d);
}

/**
 * While a staff member is signed in as this person: who, for which org, why, until when, and
 * whether changes are allowed; with the Stop button. It sits above the header, outside every
 * htmx target, so partial swaps never remove it.
 */
export function ImpersonationBanner({ ctx }: { ctx: PageContext }) {
  const viewer = ctx.viewer;
  const imp = viewer?.impersonation;
  if (!viewer || !imp) return null;
  const role = imp.staffRole ? STAFF_ROLE_LABELS[imp.staffRole].toLowerCase() : 'staff';
  return (
    <div
      class={imp.allowsChanges ? 'impersonation-banner impersonation-changes' : 'impersonation-banner'}
      role="region"
      aria-label="Impersonation"
    >
      <div class="container impersonation-inner">
        <p>
          <strong>{imp.staffName}</strong>, you are signed in as <strong>{viewer.name}</strong>
          {imp.orgName && (
            <>
              {' '}
              for <strong>{imp.orgName}</strong>
            </>
          )}{' '}
          — {role}, {imp.reason}, ends{' '}
          <time datetime={imp.endsAt.toISOString()}>{endsAt(imp.endsAt, viewer.timeZone)}</time> —{' '}
          <span class="impersonation-mode">{imp.allowsChanges ? 'changes allowed' : 'read-only'}</span>
        </p>
        <form method="post" action="/impersonation/stop">
          <CsrfField token={ctx.csrfToken} />
          <button class="button button-small" type="submit">
            Stop
          </button>
        </form>
      </div>
    </div>
  );
}
