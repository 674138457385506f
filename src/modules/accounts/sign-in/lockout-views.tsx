import { inAbout } from './lockout.ts';

/** Why a sign-in was refused although the password may be right, until when, and the way out now. */
export function LockedNotice({ until, now = new Date() }: { until: Date; now?: Date }) {
  return (
    <div class="flash flash-error" role="alert">
      <p>
        This account is temporarily locked after too many failed sign-in attempts. Try again in{' '}
        {inAbout(until.getTime() - now.getTime())} (at{' '}
        <time datetime={until.toISOString()}>{until.toUTCString().replace(/:\d\d GMT$/, ' UTC')}</time>).
      </p>
      <p>
        Resetting your password unlocks it now: <a href="/password/forgot">reset your password</a>.
      </p>
    </div>
  );
}
