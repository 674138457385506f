import { z } from 'zod';
import type { Tx } from '../db/pool.ts';
import { NotFoundError } from '../http/errors.ts';
import { recordId } from '../http/params.ts';
import { route } from '../http/routes.ts';
import { Time } from '../views/components.tsx';
import { pageContext } from '../views/context.ts';
import { DataTable } from '../views/data-table.tsx';
import { BackLink } from '../views/forms.tsx';
import { Layout } from '../views/layout.tsx';
import { Page } from '../views/page.tsx';
import { sendHtml } from '../views/render.ts';
import { inEveryContext } from './dev-mailbox-read.ts';
import { MAIL_STATUS, StatusBadge } from '../views/status-badge.tsx';

/** The dev mailbox's addresses. */
const mailboxPaths = {
  list: '/dev/mailbox',
  message: (id: string) => `/dev/mailbox/${id}`,
} as const;

const URL_RE = /(https?:\/\/[^\s<>"]+)/g;

/** Mail text with its links clickable (only http(s) URLs become links; everything is escaped). */
function Linkified({ text }: { text: string }) {
  const parts = text.split(URL_RE);
  return <pre class="mail-body">{parts.map((p, i) => (i % 2 === 1 ? <a href={p}>{p}</a> : p))}</pre>;
}

/**
 * Outside production: the outbox as an inbox, so a developer can click the link in a mail. Not a
 * module's routes: the server registers them only when it is not in production.
 */
export const devMailboxRoutes = [
  route({
    method: 'GET',
    url: mailboxPaths.list,
    access: 'public',
    handler: async (request, reply, { db }) => {
      const newest = (tx: Tx) =>
        tx
          .selectFrom('mail_outbox')
          .select(['id', 'to_address', 'subject', 'status', 'created_at'])
          .orderBy('created_at', 'desc')
          .limit(100)
          .execute();
      const messages = (await inEveryContext(db, newest))
        .sort((a, b) => b.created_at.getTime() - a.created_at.getTime())
        .slice(0, 100);
      const ctx = pageContext(request, reply);
      const zone = ctx.viewer?.timeZone ?? 'UTC';
      return sendHtml(
        reply,
        <Page ctx={ctx} title="Dev mailbox" subtitle="Every message the app recorded in its outbox (development only).">
          <DataTable
            columns={[
              { header: 'To', cell: (m) => m.to_address },
              { header: 'Subject', cell: (m) => <a href={mailboxPaths.message(m.id)}>{m.subject}</a> },
              { header: 'Status', cell: (m) => <StatusBadge kind={MAIL_STATUS} status={m.status} /> },
              { header: 'Created', cell: (m) => <Time value={m.created_at} zone={zone} /> },
            ]}
            rows={messages}
            empty={{ title: 'No mail yet', children: 'Sign up or trigger an email and it will appear here.' }}
          />
        </Page>,
      );
    },
  }),
  route({
    method: 'GET',
    url: '/dev/mailbox/:id',
    access: 'public',
    params: z.object({ id: recordId }),
    handler: async (request, reply, { db }) => {
      const [m] = await inEveryContext(db, (tx) =>
        tx.selectFrom('mail_outbox').selectAll().where('id', '=', request.params.id).execute(),
      );
      if (!m) throw new NotFoundError('No such message.');
      const ctx = pageContext(request, reply);
      return sendHtml(
        reply,
        <Layout ctx={ctx} title={m.subject}>
          <BackLink href={mailboxPaths.list}>All mail</BackLink>
          <section class="card">
            <h1 class="mail-subject">{m.subject}</h1>
            <dl class="meta">
              <dt>To</dt>
              <dd>{m.to_address}</dd>
              <dt>Status</dt>
              <dd>
                <StatusBadge kind={MAIL_STATUS} status={m.status} />
              </dd>
              <dt>Created</dt>
              <dd>
                <Time value={m.created_at} zone={ctx.viewer?.timeZone ?? 'UTC'} />
              </dd>
            </dl>
            <Linkified text={m.text_body} />
          </section>
        </Layout>,
      );
    },
  }),
];
