// Test support for imports: multipart uploads, waiting for a status.
import { randomBytes } from 'node:crypto';
import type { ImportStatus } from './statuses.ts';
import { eventually, type Agent, type TestApp } from '../../testing/harness.ts';

/** Posts the upload form as multipart/form-data, the way a browser does. */
export function postMultipart(
  agent: Agent,
  url: string,
  fields: Record<string, string>,
  file?: { name: string; content: Buffer },
) {
  const boundary = `----lw${randomBytes(8).toString('hex')}`;
  const all: Record<string, string> = { ...fields };
  if (agent.csrf) all._csrf = agent.csrf;
  const parts: Buffer[] = Object.entries(all).map(([k, v]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
  );
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return agent.request({
    method: 'POST',
    url,
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

/** Uploads a file through the form; returns the new import's id. */
export async function upload(
  agent: Agent,
  slug: string,
  content: string | Buffer,
  opts: { kind?: string; name?: string; encoding?: string; delimiter?: string } = {},
): Promise<string> {
  await agent.get(`/o/${slug}/imports`);
  const res = await postMultipart(
    agent,
    `/o/${slug}/imports`,
    { kind: opts.kind ?? 'invoices', encoding: opts.encoding ?? 'auto', delimiter: opts.delimiter ?? 'auto' },
    { name: opts.name ?? 'invoices.csv', content: typeof content === 'string' ? Buffer.from(content) : content },
  );
  if (res.statusCode !== 303) throw new Error(`upload answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
  return String(res.headers.location).split('/').pop()!;
}

export async function importRow(t: TestApp, orgId: string, id: string) {
  return t.owner
    .selectFrom('imports')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

export async function waitForStatus(t: TestApp, orgId: string, id: string, statuses: ImportStatus[], ms = 20_000) {
  return eventually(
    async () => {
      const r = await importRow(t, orgId, id);
      return statuses.includes(r.status) ? r : null;
    },
    ms,
    `import ${id} to be ${statuses.join(' or ')}`,
  );
}
