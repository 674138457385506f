import type { FastifyReply, FastifyRequest } from 'fastify';
import { pageContext } from '../views/context.ts';
import { Layout } from '../views/layout.tsx';
import { sendHtml } from '../views/render.ts';

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
  return sendHtml(
    reply,
    <Layout ctx={ctx} title={title} narrow>
      <section class="card error-card">
        <p class="error-code">{status}</p>
        <h1>{title}</h1>
        <p>{message}</p>
        <p class="muted small">
          Request id: <code>{request.id}</code> — quote it if you contact support.
        </p>
        <p>
          <a class="button" href="/">
            Go to the start page
          </a>
        </p>
      </section>
    </Layout>,
    status,
  );
}
