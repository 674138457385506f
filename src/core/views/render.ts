import type { FastifyReply } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { contentDisposition } from '../http/file-names.ts';

/** Renders a full page (with doctype) or, for htmx swaps, a partial on its own. */
export function sendHtml(
  reply: FastifyReply,
  node: VNode,
  status = 200,
  opts: { partial?: boolean } = {},
): FastifyReply {
  const html = renderToString(node);
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(opts.partial ? html : `<!doctype html>${html}`);
}

/** The type of every CSV file Ledgerworks sends. */
export const CSV_TYPE = 'text/csv; charset=utf-8';

/**
 * Sends a file to download: its type, its name (contentDisposition), never sniffed as something
 * else and never cached (it holds an org's data).
 */
export function sendDownload(
  reply: FastifyReply,
  file: { type: string; name: string; body: unknown; size?: number },
): FastifyReply {
  reply
    .type(file.type)
    .header('content-disposition', contentDisposition(file.name))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store');
  if (file.size !== undefined) reply.header('content-length', file.size);
  return reply.send(file.body);
}

export { renderToString };
