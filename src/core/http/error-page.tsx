import type { FastifyReply, FastifyRequest } from 'fastify';
import { StaffLayout } from '../admin/layout.tsx';
import { pageContext } from '../views/context.ts';
import { Layout } from '../views/layout.tsx';
import { sendHtml } from '../views/render.ts';
import { isStaffUrl } from './staff-access.ts';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Sign in required',
  403: 'Not allowed',
  404: 'Page not found',
  409: 'Conflict',
  413: 'Too large',
  422: 'Check your input',
  429: 'Slow down',
  500: 'Something went wrong',
};

/** A friendly page (or JSON for API clients, a fragment for htmx) that names the request id. */
export function renderErrorPage(request: FastifyRequest, reply: FastifyReply, status: number, message: string) {
  const title = TITLES[status] ?? 'Error';
  const wantsHtml = (request.headers.accept ?? '').includes('text/html') || request.headers['hx-request'] === 'true';
  if (!wantsHtml) {
    return reply.code(status).type('application/json').send({ error: title, message, requestId: request.id });
  }
  if (request.headers['hx-request'] === 'true') {
    return sendHtml(
      reply,
      <div class="flash flash-error" role="alert">
        {message} (request {request.id})
      </div>,
      status,
      { partial: true },
    );
  }
  const ctx = pageContext(request, reply);
  // Staff in the back-office stay in its frame, with the way back to the page the action was sent from.
  const inBackOffice = !!request.viewer?.staffRole && isStaffUrl(request.url);
  const path = request.url.split('?')[0]!;
  const back = inBackOffice
    ? { href: request.method === 'GET' ? '/staff' : path.replace(/\/[^/]+$/, ''), label: 'Back to the page' }
    : { href: '/', label: 'Go to the start page' };
  const card = (
    <section class="card error-card">
      <p class="error-code">{status}</p>
      <h1>{title}</h1>
      <p>{message}</p>
      <p class="muted small">
        Request id: <code>{request.id}</code> — quote it if you contact support.
      </p>
      <p>
        <a class="button" href={back.href}>
          {back.label}
        </a>
      </p>
    </section>
  );
  return sendHtml(
    reply,
    inBackOffice ? (
      <StaffLayout ctx={ctx} title={title} narrow>
        {card}
      </StaffLayout>
    ) : (
      <Layout ctx={ctx} title={title} narrow>
        {card}
      </Layout>
    ),
    status,
  );
}
