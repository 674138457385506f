import type { FastifyReply, FastifyRequest } from 'fastify';
import { route } from '../../../core/http/routes.ts';
import { pageContext } from '../../../core/views/context.ts';
import { flash } from '../../../core/views/flash.ts';
import { sendHtml } from '../../../core/views/render.ts';
import { deadLink, noReferrer, tokenParams } from '../email-links.tsx';
import { limited } from '../route-helpers.ts';
import { confirmEmailChange, emailChangeLink, emailReportLink, reportEmailChange } from './email-change.ts';
import { ConfirmEmailPage, ReportEmailPage } from './views.tsx';

// The pages behind the two links an email change sends: "confirm" to the new address, "this was
// not me" to the old one. They work signed out: the token is the proof. (The request itself is a
// form on the account page: settings/routes.ts.)

const deadEmailLink = (request: FastifyRequest, reply: FastifyReply) =>
  deadLink(
    request,
    reply,
    'This email change link has expired, was already used, or was replaced by a newer request. Your email address has not changed.',
    { href: '/account', label: 'Go to account settings' },
  );

const deadReportLink = (request: FastifyRequest, reply: FastifyReply) =>
  deadLink(
    request,
    reply,
    'This link was already used or has expired. If you think someone else is using your account, reset your password now.',
    { href: '/password/forgot', label: 'Reset my password' },
  );

export const emailChangeLinkRoutes = [
  route({
    method: 'GET',
    url: '/account/email/confirm/:token',
    access: 'public',
    params: tokenParams,
    handler: async (request, reply, { db }) => {
      noReferrer(reply);
      const { token } = request.params;
      const link = token ? await emailChangeLink(db, token) : null;
      if (!token || !link?.new_email) return deadEmailLink(request, reply);
      return sendHtml(reply, ConfirmEmailPage({ ctx: pageContext(request, reply), token, newEmail: link.new_email }));
    },
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
      flash(reply, 'success', `Your email address is now ${done.newEmail}.`);
      return reply.redirect('/account', 303);
    },
  }),
  route({
    method: 'GET',
    url: '/account/email/report/:token',
    access: 'public',
    params: tokenParams,
    handler: async (request, reply, { db }) => {
      noReferrer(reply);
      const { token } = request.params;
      const link = token ? await emailReportLink(db, token) : null;
      if (!token || !link?.new_email) return deadReportLink(request, reply);
      return sendHtml(reply, ReportEmailPage({ ctx: pageContext(request, reply), token, newEmail: link.new_email }));
    },
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
      flash(
        reply,
        done.alreadyChanged ? 'error' : 'success',
        done.alreadyChanged
          ? 'The change had already been confirmed. We signed out every device; contact your administrator to get your account back.'
          : 'We cancelled the email change and signed out every device. Now choose a new password: someone may know the current one.',
      );
      return reply.redirect('/password/forgot', 303);
    },
  }),
];
