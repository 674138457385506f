import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../core/app-context.ts';
import type { Db } from '../../../core/db/pool.ts';
import { route } from '../../../core/http/routes.ts';
import { deadLink, noReferrer, tokenParams } from '../email-links.tsx';
import { limited, redirectWithFlash, sendPage } from '../route-helpers.ts';
import { confirmEmailChange, emailChangeLink, emailReportLink, reportEmailChange } from './email-change.ts';
import { ConfirmEmailPage, ReportEmailPage } from './views.tsx';

// The pages behind the two links an email change sends: "confirm" to the new address, "this was
// not me" to the old one. They work signed out: the token is the proof. (The request itself is a
// form on the account page: settings/routes.ts.)

const deadEmailLink = deadLink(
  'This email change link has expired, was already used, or was replaced by a newer request. Your email address has not changed.',
  { href: '/account', label: 'Go to account settings' },
);

const deadReportLink = deadLink(
  'This link was already used or has expired. If you think someone else is using your account, reset your password now.',
  { href: '/password/forgot', label: 'Reset my password' },
);

/** A link's page (its one button) for a link still pending, else the dead-link page. */
function linkPage(
  lookup: (db: Db, token: string) => Promise<{ new_email: string | null } | undefined>,
  Page: typeof ConfirmEmailPage,
  dead: ReturnType<typeof deadLink>,
) {
  return async (
    request: FastifyRequest<{ Params: { token: string | null } }>,
    reply: FastifyReply,
    { db }: AppContext,
  ) => {
    noReferrer(reply);
    const { token } = request.params;
    const link = token ? await lookup(db, token) : null;
    if (!token || !link?.new_email) return dead(request, reply);
    return sendPage(request, reply, Page, { token, newEmail: link.new_email });
  };
}

export const emailChangeLinkRoutes = [
  route({
    method: 'GET',
    url: '/account/email/confirm/:token',
    access: 'public',
    params: tokenParams,
    handler: linkPage(emailChangeLink, ConfirmEmailPage, deadEmailLink),
  }),
  route({
    method: 'POST',
    url: '/account/email/confirm/:token',
    access: 'public',
    params: tokenParams,
    options: limited(20),
    example: { body: {} },
    handler: async (request, reply, { db }) => {
      noReferrer(reply);
      const { token } = request.params;
      const done = token ? await confirmEmailChange(db, request.actor, token) : null;
      if (!done) return deadEmailLink(request, reply);
      return redirectWithFlash(reply, '/account', 'success', `Your email address is now ${done.newEmail}.`);
    },
  }),
  route({
    method: 'GET',
    url: '/account/email/report/:token',
    access: 'public',
    params: tokenParams,
    handler: linkPage(emailReportLink, ReportEmailPage, deadReportLink),
  }),
  route({
    method: 'POST',
    url: '/account/email/report/:token',
    access: 'public',
    params: tokenParams,
    options: limited(20),
    example: { body: {} },
    handler: async (request, reply, { db, links }) => {
      noReferrer(reply);
      const { token } = request.params;
      const done = token ? await reportEmailChange(db, request.actor, links, token) : null;
      if (!done) return deadEmailLink(request, reply);
      return redirectWithFlash(
        reply,
        '/password/forgot',
        done.alreadyChanged ? 'error' : 'success',
        done.alreadyChanged
          ? 'The change had already been confirmed. We signed out every device; contact your administrator to get your account back.'
          : 'We cancelled the email change and signed out every device. Now choose a new password: someone may know the current one.',
      );
    },
  }),
];
