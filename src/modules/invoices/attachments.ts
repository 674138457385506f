// Invoice PDFs: received as multipart uploads, streamed to a temporary file with a size
// limit, recognized by their content (never the name or the browser's type), then kept
// under <UPLOAD_DIR>/<org id>/<random uuid>.pdf, outside the web root.
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fastifyMultipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { safeFileName } from '../../core/http/file-names.ts';
import { z } from 'zod';

export const MAX_PDF_BYTES = 10 * 1024 * 1024;

/** A file that arrived with a request; its temporary copy is removed when the response is sent. */
export type Upload = { tmpPath: string | null; filename: string; size: number; tooLarge: boolean; isPdf: boolean };

/** The uploads this process created: a body value that is not one of them (a forged form field) is no upload. */
const genuine = new WeakSet<Upload>();
const temps = new WeakMap<FastifyRequest, string[]>();

/** Where attachments live, and the file operations on them. */
export class AttachmentStore {
  constructor(readonly dir: string) {}

  private get tmpDir() {
    return path.join(this.dir, 'tmp');
  }

  /** Moves an accepted upload into the org's folder; returns what the invoice row records. */
  async keep(orgId: string, upload: Upload): Promise<{ key: string; name: string; size: number }> {
    if (!upload.tmpPath) throw new Error('only a received file can be kept');
    const key = `${orgId}/${randomUUID()}.pdf`;
    await mkdir(path.join(this.dir, orgId), { recursive: true });
    await rename(upload.tmpPath, this.pathOf(key));
    return { key, name: sanitizeFileName(upload.filename), size: upload.size };
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /** A stream of a kept file, or null when it is gone from the disk. */
  async open(key: string) {
    const file = this.pathOf(key);
    try {
      await stat(file);
    } catch {
      return null;
    }
    return createReadStream(file);
  }

  /** Keys are written by keep() only; anything else never reaches the file system. */
  private pathOf(key: string): string {
    if (!/^[0-9a-f-]{36}\/[0-9a-f-]{36}\.pdf$/.test(key)) throw new Error(`not an attachment key: ${key}`);
    return path.join(this.dir, key);
  }

  /** Streams one uploaded file to a temporary file, stopping at MAX_PDF_BYTES. */
  async receive(request: FastifyRequest, part: MultipartFile): Promise<Upload> {
    await mkdir(this.tmpDir, { recursive: true });
    const tmpPath = path.join(this.tmpDir, `${randomUUID()}.part`);
    temps.set(request, [...(temps.get(request) ?? []), tmpPath]);
    let size = 0;
    let head = Buffer.alloc(0);
    const inspect = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (head.length < 5) head = Buffer.concat([head, chunk]).subarray(0, 5);
        done(null, chunk);
      },
    });
    await pipeline(part.file, inspect, createWriteStream(tmpPath));
    const tooLarge = part.file.truncated;
    const empty = size === 0 && !part.filename;
    if (tooLarge || empty) await rm(tmpPath, { force: true });
    const upload: Upload = {
      tmpPath: tooLarge || empty ? null : tmpPath,
      filename: part.filename,
      size,
      tooLarge,
      isPdf: head.toString('latin1') === '%PDF-',
    };
    genuine.add(upload);
    return upload;
  }

  /** Removes what a request left in the temporary folder (an upload that was refused or not kept). */
  async cleanUp(request: FastifyRequest): Promise<void> {
    for (const file of temps.get(request) ?? []) await rm(file, { force: true });
    temps.delete(request);
  }
}

/**
 * Multipart forms for the routes registered on `scope`: text fields land in request.body as
 * strings (so the CSRF check and the double-submission key work as for any form), the file
 * as an Upload.
 */
export async function registerPdfUploads(scope: FastifyInstance, store: AttachmentStore): Promise<void> {
  await scope.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    // A file over the limit is reported next to its field, not as an error page.
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_PDF_BYTES, files: 1, fields: 30, fieldSize: 10_000, parts: 40 },
    async onFile(part) {
      part.value = await store.receive(this, part);
    },
  });
  scope.addHook('onResponse', async (request) => store.cleanUp(request));
}

/** The upload in a form body, if a file was chosen. */
export function uploadOf(body: unknown, field: string): Upload | null {
  return asUpload(body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined);
}

/** A form value as an upload this process received, if a file was chosen. */
function asUpload(v: unknown): Upload | null {
  if (!v || typeof v !== 'object' || !genuine.has(v as Upload)) return null;
  const upload = v as Upload;
  return upload.tmpPath || upload.tooLarge ? upload : null;
}

/**
 * A form's PDF field: the upload (null when no file was chosen, or when the value is a forged
 * text field); a file over the limit or not a PDF is the field's error.
 */
export const pdfField = z
  .unknown()
  .optional()
  .transform((value, ctx) => {
    const upload = asUpload(value);
    const problem = upload && uploadProblem(upload);
    if (!problem) return upload;
    ctx.issues.push({ code: 'custom', message: problem, input: value });
    return z.NEVER;
  });

/** Why an upload is refused, as the field error says it; null when it is a PDF within the limit. */
export function uploadProblem(upload: Upload): string | null {
  if (upload.tooLarge)
    return `That file is larger than ${MAX_PDF_BYTES / 1024 / 1024} MB. Choose a smaller PDF (a scan at 150–300 dpi is usually enough).`;
  if (!upload.isPdf) return 'That file is not a PDF. Choose the invoice as a PDF document.';
  return null;
}

/** The stored name of an invoice PDF: safe to store and to send back, and ending in .pdf. */
export function sanitizeFileName(name: string): string {
  return safeFileName(name, { fallback: 'invoice.pdf', extension: '.pdf' });
}
