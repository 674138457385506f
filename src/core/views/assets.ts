import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

const require = createRequire(import.meta.url);
const PUBLIC_DIR = path.resolve(import.meta.dirname, '../../../public');

type Asset = { root: string; file: string; url: string };

/** Static files served under content-hashed names, so they can be cached for a year. */
function buildManifest(): Map<string, Asset> {
  const sources: Record<string, string> = {
    'app.css': path.join(PUBLIC_DIR, 'app.css'),
    'app.js': path.join(PUBLIC_DIR, 'app.js'),
    'favicon.svg': path.join(PUBLIC_DIR, 'favicon.svg'),
    // htmx 2: the stable line with the attribute API our partials use.
    'htmx.js': require.resolve('htmx.org/dist/htmx.min.js'),
  };
  const manifest = new Map<string, Asset>();
  for (const [logical, full] of Object.entries(sources)) {
    const hash = createHash('sha256').update(readFileSync(full)).digest('hex').slice(0, 12);
    const ext = path.extname(logical);
    const hashed = `${path.basename(logical, ext)}.${hash}${ext}`;
    manifest.set(logical, { root: path.dirname(full), file: path.basename(full), url: `/static/${hashed}` });
  }
  return manifest;
}

const manifest = buildManifest();

export function assetUrl(logical: 'app.css' | 'app.js' | 'htmx.js' | 'favicon.svg'): string {
  const a = manifest.get(logical);
  if (!a) throw new Error(`unknown asset ${logical}`);
  return a.url;
}

export async function registerAssets(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, { root: PUBLIC_DIR, serve: false });
  const byUrl = new Map([...manifest.values()].map((a) => [a.url, a]));
  app.get('/static/:name', { logLevel: 'warn', config: { access: 'public' } }, async (request, reply) => {
    const asset = byUrl.get(request.url.split('?')[0] ?? '');
    if (!asset) return reply.callNotFound();
    return reply.sendFile(asset.file, asset.root, { maxAge: '365d', immutable: true });
  });
  app.get('/favicon.ico', { config: { access: 'public' } }, (_req, reply) =>
    reply.redirect(assetUrl('favicon.svg'), 301),
  );
}
