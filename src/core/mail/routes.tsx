import { z } from 'zod';
import { NotFoundError } from '../http/errors.ts';
import { recordId } from '../http/params.ts';
import { route } from '../http/routes.ts';
import { Badge, EmptyState, PageHeader, Time } from '../views/components.tsx';
import { pageContext } from '../views/context.ts';
import { Layout } from '../views/layout.tsx';
import { sendHtml } from '../views/render.ts';

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
    url: '/dev/mailbox',
    access: 'public',
    handler: async (request, reply, { db }) => {
      const messages = await db
        .selectFrom('mail_outbox')
        .select(['id', 'to_address', 'subject', 'status', 'created_at'])
        .orderBy('created_at', 'desc')
        .limit(100)
        .execute();
      const ctx = pageContext(request, reply);
      const zone = ctx.viewer?.timeZone ?? 'UTC';
      return sendHtml(
        reply,
        <Layout ctx={ctx} title="Dev mailbox">
          <PageHeader title="Dev mailbox" subtitle="Every message the app recorded in its outbox (development only)." />
          {messages.length === 0 ? (
            <EmptyState title="No mail yet">Sign up or trigger an email and it will appear here.</EmptyState>
          ) : (
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th>To</th>
                    <th>Subject</th>
                    <th>Status</th>
                    <th>Created</th>
                  </tr>
                </thead>
                <tbody>
                  {messages.map((m) => (
                    <tr>
                      <td>{m.to_address}</td>
                      <td>
                        <a href={`/dev/mailbox/${m.id}`}>{m.subject}</a>
                      </td>
                      <td>
                        <Badge tone={m.status === 'sent' ? 'green' : m.status === 'failed' ? 'red' : 'amber'}>
                          {m.status}
                        </Badge>
                      </td>
                      <td>
                        <Time value={m.created_at} zone={zone} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Layout>,
      );
    },
  }),
  route({
    method: 'GET',
    url: '/dev/mailbox/:id',
    access: 'public',
    params: z.object({ id: recordId }),
    handler: async (request, reply, { db }) => {
      const m = await db.selectFrom('mail_outbox').selectAll().where('id', '=', request.params.id).executeTakeFirst();
      if (!m) throw new NotFoundError('No such message.');
      const ctx = pageContext(request, reply);
      return sendHtml(
        reply,
        <Layout ctx={ctx} title={m.subject}>
          <p>
            <a href="/dev/mailbox">← All mail</a>
          </p>
          <section class="card">
            <h1 class="mail-subject">{m.subject}</h1>
            <dl class="meta">
              <dt>To</dt>
              <dd>{m.to_address}</dd>
              <dt>Status</dt>
              <dd>{m.status}</dd>
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
