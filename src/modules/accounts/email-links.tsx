// What the pages behind emailed links (password reset, email change) share: the token in the
// path, kept out of Referer headers, and the page a link that cannot be used opens.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { linkToken } from '../../core/http/params.ts';
import type { PageContext } from '../../core/views/context.ts';
import { pageContext } from '../../core/views/context.ts';
import { CardPage } from '../../core/views/forms.tsx';
import { sendHtml } from '../../core/views/render.ts';

/** A token that is not one we make (null) answers like an expired one. */
export const tokenParams = z.object({ token: linkToken });

/** The links carry their secret in the path: keep it out of Referer headers. */
export function noReferrer(reply: FastifyReply): void {
  reply.header('referrer-policy', 'no-referrer');
}

/** An emailed link that cannot be used (unknown, used or expired), with the way forward. */
export function DeadLinkPage({
  ctx,
  title,
  message,
  action,
}: {
  ctx: PageContext;
  title: string;
  message: string;
  action: { href: string; label: string };
}) {
  return (
    <CardPage ctx={ctx} title={title}>
      <p>{message}</p>
      <p>
        <a class="button" href={action.href}>
          {action.label}
        </a>
      </p>
    </CardPage>
  );
}

/** How one kind of link answers when it cannot be used: 410 with the dead-link page. */
export function deadLink(message: string, action: { href: string; label: string }) {
  return (request: FastifyRequest, reply: FastifyReply) =>
    sendHtml(
      reply,
      DeadLinkPage({ ctx: pageContext(request, reply), title: 'This link no longer works', message, action }),
      410,
    );
}
