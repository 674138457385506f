// What the access matrix (src/access-matrix.test.ts) holds the routes to, beside what they
// declare: the routes that need no sign-in and why, the routes outside /o/:org that take a path
// parameter and why a guessed one reaches no other org, and the data only some roles may see.

/** The ids and names of one org's records, by the name a route's path or example uses (`:invoiceId`). */
export type Records = Record<string, string>;

/** Routes outside /o/:org that take a path parameter, and why a guessed value reaches no other org. */
export const NON_ORG_PARAM_ROUTES: Record<string, string> = {
  'GET /static/:name': 'public, content-hashed assets',
  'GET /dev/mailbox/:id': 'development only (not registered in production); shows the whole outbox by design',
  'GET /invitations/:token': 'the token is a 256-bit secret sent to the invitee, not a guessable id',
  'POST /invitations/:token/accept': 'the token is a 256-bit secret; accepting also needs the invited email',
  'POST /invitations/:token/decline': 'the token is a 256-bit secret sent to the invitee',
  'POST /account/sessions/:id/revoke':
    "looked up among the signed-in person's own sessions only (another's id: 404, accounts/sessions/devices.test.ts)",
  'GET /password/reset/:token': 'the token is a 256-bit secret, mailed to the account, stored hashed, single use',
  'POST /password/reset/:token': 'the token is a 256-bit secret, mailed to the account, stored hashed, single use',
  'GET /account/email/confirm/:token': 'the token is a 256-bit secret mailed to the new address',
  'POST /account/email/confirm/:token': 'the token is a 256-bit secret mailed to the new address',
  'GET /account/email/report/:token': 'the token is a 256-bit secret mailed to the old address',
  'POST /account/email/report/:token': 'the token is a 256-bit secret mailed to the old address',
};

/**
 * Routes anyone may reach without signing in, and why. A route declared 'public' that is not
 * here fails the walk: an unauthenticated POST cannot slip in unexplained.
 */
export const PUBLIC_ROUTES: Record<string, string> = {
  'GET /': 'the front door: sends a signed-in person to their org, others to sign in',
  'GET /static/:name': 'content-hashed CSS, JS and icons',
  'GET /favicon.ico': 'redirects to the hashed icon',
  'GET /healthz': 'liveness for the process manager',
  'GET /readyz': 'readiness for the load balancer (no data)',
  'GET /metrics': 'Prometheus; in production only with METRICS_TOKEN',
  'POST /csp-report': 'browsers send violation reports without cookies or tokens; rate-limited, size-limited',
  'GET /dev/mailbox': 'development only, not registered in production',
  'GET /dev/mailbox/:id': 'development only, not registered in production',
  'GET /login': 'the sign-in form',
  'POST /login': 'signing in; rate-limited per IP and locked per account',
  'GET /login/two-factor': 'the second step of signing in, bound to a signed pending-login cookie',
  'POST /login/two-factor': 'the second step of signing in, bound to a signed pending-login cookie',
  'GET /signup': 'the sign-up form',
  'POST /signup': 'signing up; rate-limited per IP',
  'POST /logout': 'signing out ends the session it is sent with, if any; without one it changes nothing',
  'GET /password/forgot': 'the reset request form',
  'POST /password/forgot': 'asks for a reset link; the same answer for every address; rate-limited',
  'GET /password/forgot/sent': 'the "check your email" page',
  'GET /password/reset/:token': 'the emailed reset link (a 256-bit secret)',
  'POST /password/reset/:token': 'setting the new password with the emailed secret',
  'GET /account/email/confirm/:token': 'the confirmation link mailed to the new address',
  'POST /account/email/confirm/:token': 'confirming the new address with the mailed secret',
  'GET /account/email/report/:token': '"this was not me", mailed to the old address',
  'POST /account/email/report/:token': '"this was not me", mailed to the old address',
  'GET /invitations/:token': 'the invitation link (a 256-bit secret)',
  'POST /invitations/:token/decline': 'declining works without an account',
};

/**
 * Data only some roles may see, by the policy action that shows it: a GET answering a role
 * without that action must not contain it (an org page that leaked it would fail here).
 */
export const PRIVILEGED: { action: string; secret: (r: Records) => string }[] = [
  { action: 'invitation.view', secret: (r) => r.invitationEmail! },
  { action: 'org.view_activity', secret: (r) => r.runError! },
];

/** What the access wall says; a record rule that refuses an allowed role says why instead. */
export const GENERIC_FORBIDDEN = 'You do not have permission to do that.';
