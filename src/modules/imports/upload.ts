// CSV uploads: multipart forms whose file is streamed to a temporary file under UPLOAD_DIR
// (never held in memory), stopping at MAX_CSV_BYTES. Text fields land in request.body as
// strings, so the CSRF check and the double-submission key work as for any form.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../core/app-context.ts';
import { tmpDir } from './files.ts';

export const MAX_CSV_BYTES = 50 * 1024 * 1024;

export type CsvUpload = { tmpPath: string | null; filename: string; size: number; tooLarge: boolean };

/** The uploads this process received: a form field that is not one of them is no upload. */
const genuine = new WeakSet<CsvUpload>();
const temps = new WeakMap<FastifyRequest, string[]>();

export async function registerCsvUploads(scope: FastifyInstance, { settings }: AppContext): Promise<void> {
  const tmp = tmpDir(settings.uploadDir);
  await scope.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_CSV_BYTES, files: 1, fields: 10, fieldSize: 1000, parts: 15 },
    async onFile(part) {
      await mkdir(tmp, { recursive: true });
      const tmpPath = path.join(tmp, `${randomUUID()}.part`);
      temps.set(this, [...(temps.get(this) ?? []), tmpPath]);
      let size = 0;
      const count = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          done(null, chunk);
        },
      });
      await pipeline(part.file, count, createWriteStream(tmpPath));
      const tooLarge = part.file.truncated;
      const none = size === 0 && !part.filename;
      const upload: CsvUpload = { tmpPath: tooLarge || none ? null : tmpPath, filename: part.filename, size, tooLarge };
      genuine.add(upload);
      part.value = upload;
    },
  });
  // A kept file was moved away; whatever is left in the temporary folder goes.
  scope.addHook('onResponse', async (request) => {
    for (const file of temps.get(request) ?? []) await rm(file, { force: true });
    temps.delete(request);
  });
}

/** A form field as the upload this process received, or null (no file, or a string forged in its place). */
function csvUploadIn(v: unknown): CsvUpload | null {
  if (!v || typeof v !== 'object' || !genuine.has(v as CsvUpload)) return null;
  const u = v as CsvUpload;
  return u.tmpPath || u.tooLarge ? u : null;
}

/** The file field of an upload form's schema; the service says what a missing or too large file means. */
export const csvFileField = z.unknown().transform(csvUploadIn);
