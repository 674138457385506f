import type { FastifyReply } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

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

export { renderToString };
