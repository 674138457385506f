// Posting a form as multipart/form-data, the way a browser sends a form with a file input.
import { randomBytes } from 'node:crypto';
import type { Agent } from './harness.ts';

export type UploadFile = {
  /** The form field the file is sent in. */
  field: string;
  name: string;
  content: Buffer | string;
  type: string;
};

/** Posts `fields` and an optional file, with the page's CSRF token unless told otherwise. */
export function postMultipart(
  agent: Agent,
  url: string,
  fields: Record<string, string>,
  file?: UploadFile,
  opts: { csrf?: boolean; submission?: string } = {},
) {
  const boundary = `----lw${randomBytes(8).toString('hex')}`;
  const all: Record<string, string> = { ...fields };
  if (opts.csrf !== false && agent.csrf) all._csrf = agent.csrf;
  if (opts.submission) all._submission = opts.submission;
  const parts: Buffer[] = Object.entries(all).map(([k, v]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
  );
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      Buffer.from(file.content),
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
