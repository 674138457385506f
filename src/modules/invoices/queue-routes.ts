import type { FastifyInstance } from 'fastify';
import type { Db } from '../../core/db/pool.ts';
import { requireOrg, requireViewer } from '../../core/http/auth.ts';
import { addOrgNav, pageContext } from '../../core/views/context.ts';
import { sendHtml } from '../../core/views/render.ts';
import { approvalQueue, queueQuerySchema, type QueueQuery } from './queue.ts';
import { QueuePage } from './queue-views.tsx';

/** Reads the queue's filters; a malformed one is dropped and explained rather than failing the page. */
export function parseQueueQuery(raw: unknown): { query: QueueQuery; problems: string[] } {
  const input = (raw ?? {}) as Record<string, unknown>;
  const query: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, schema] of Object.entries(queueQuerySchema.shape)) {
    const r = schema.safeParse(input[key]);
    if (r.success) query[key] = r.data;
    else problems.push(`${key.replace('_', ' ')}: ${r.error.issues[0]?.message ?? 'not understood'}`);
  }
  return { query: query, problems };
}

export function registerInvoiceQueuePages(scope: FastifyInstance, db: Db): void {
  addOrgNav({ label: 'Invoices', path: '/invoices', order: 10 });

  scope.get('/invoices', async (request, reply) => {
    const org = requireOrg(request);
    const { query, problems } = parseQueueQuery(request.query);
    const data = await approvalQueue(db, { userId: requireViewer(request).id }, org, query);
    const ctx = pageContext(request, reply);
    if (problems.length) ctx.flash.push({ kind: 'error', text: `Some filters were ignored: ${problems.join('; ')}.` });
    return sendHtml(reply, QueuePage({ ctx, data, query }), problems.length ? 422 : 200);
  });
}
