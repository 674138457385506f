// Test support for imports: people in roles, multipart uploads, waiting for a status.
import { randomBytes } from 'node:crypto';
import type { ImportStatus } from '../../core/db/schema.ts';
import { eventually, signUp, type Agent, type TestApp } from '../../testing/harness.ts';

export async function idOf(t: TestApp, email: string): Promise<string> {
  return (await t.owner.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

export async function orgOf(t: TestApp, name = 'Import Team') {
  const owner = await signUp(t.app, { org: name });
  const orgId = (
    await t.owner.selectFrom('organizations').select('id').where('slug', '=', owner.slug).executeTakeFirstOrThrow()
  ).id;
  return { agent: owner.agent, slug: owner.slug, orgId, userId: await idOf(t, owner.email) };
}

export async function personIn(t: TestApp, orgId: string, role: 'member' | 'viewer' | 'approver' | 'accountant') {
  const p = await signUp(t.app);
  const id = await idOf(t, p.email);
  await t.owner.insertInto('memberships').values({ org_id: orgId, user_id: id, role }).execute();
  return { agent: p.agent, id };
}

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
