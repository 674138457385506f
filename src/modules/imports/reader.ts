// Reading an uploaded CSV as a stream: sniffing its encoding and delimiter, then yielding
// its rows with their line numbers. Broken files are normal input: every problem becomes a
// message for the person, never an exception they see.
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import type { ImportDelimiter, ImportEncoding } from './statuses.ts';

export type Encoding = Exclude<ImportEncoding, 'auto'>;
export type Delimiter = Exclude<ImportDelimiter, 'auto'>;

/** A problem with the whole file: the import stops with this message. */
export class FileProblem extends Error {
  override name = 'FileProblem';
}

export const NOT_TEXT =
  'This file is not a CSV text file. Export the sheet as CSV (comma or semicolon separated) and upload that.';

const SNIFF_BYTES = 64 * 1024;

/**
 * Finds the encoding (valid UTF-8 is UTF-8, anything else is read as Windows-1252, the
 * superset of Latin-1 that spreadsheet exports use) and the delimiter (the one of ; and ,
 * the header line has more of), unless the uploader chose them. Reads the file once,
 * in chunks, never whole.
 */
export async function sniff(
  file: string,
  chosen: { encoding: ImportEncoding; delimiter: ImportDelimiter },
): Promise<{ encoding: Encoding; delimiter: Delimiter }> {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let validUtf8 = true;
  let size = 0;
  let head = Buffer.alloc(0);
  for await (const chunk of createReadStream(file)) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (buf.includes(0)) throw new FileProblem(NOT_TEXT);
    if (head.length < SNIFF_BYTES) head = Buffer.concat([head, buf.subarray(0, SNIFF_BYTES - head.length)]);
    if (validUtf8) {
      try {
        utf8.decode(buf, { stream: true });
      } catch {
        validUtf8 = false;
      }
    }
  }
  if (validUtf8) {
    try {
      utf8.decode();
    } catch {
      validUtf8 = false;
    }
  }
  if (size === 0)
    throw new FileProblem('This file is empty. Export the sheet again with its header row and at least one row.');
  const encoding: Encoding = chosen.encoding !== 'auto' ? chosen.encoding : validUtf8 ? 'utf-8' : 'windows-1252';
  const text = new TextDecoder(encoding).decode(head);
  // Control characters other than tab and line breaks do not occur in a spreadsheet's text.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)) throw new FileProblem(NOT_TEXT);
  if (text.replace(/^\uFEFF/, '').trim() === '')
    throw new FileProblem('This file is empty. Export the sheet again with its header row and at least one row.');
  const headerLine =
    text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .find((l) => l.trim() !== '') ?? '';
  const count = (ch: string) => headerLine.split(ch).length - 1;
  const delimiter: Delimiter = chosen.delimiter !== 'auto' ? chosen.delimiter : count(';') > count(',') ? ';' : ',';
  return { encoding, delimiter };
}

/** Decodes bytes to text and turns CRLF into LF (csv-parse counts lines right on LF). */
function decoder(encoding: Encoding, onBytes: (n: number) => void): Transform {
  const td = new TextDecoder(encoding);
  let carry = '';
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      onBytes(chunk.length);
      let s = carry + td.decode(chunk, { stream: true });
      carry = s.endsWith('\r') ? '\r' : '';
      if (carry) s = s.slice(0, -1);
      done(null, s.replace(/\r\n/g, '\n'));
    },
    flush(done) {
      done(null, (carry + td.decode()).replace(/\r\n/g, '\n'));
    },
  });
}

export type CsvItem =
  | { type: 'header'; fields: string[] }
  | { type: 'row'; line: number; fields: string[]; raw: string }
  | { type: 'bad'; line: number; raw: string; reason: string; fields: string[] | null };

function startLine(endLine: number, raw: string): number {
  const body = raw.replace(/^\n+/, '').replace(/\n$/, '');
  return endLine - (body.split('\n').length - 1);
}

function badReason(code: string | undefined, message: string, columns: number): string {
  if (code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') {
    const got = /got (\d+)/.exec(message)?.[1];
    return `This line has ${got ?? 'a different number of'} columns; the header has ${columns}.`;
  }
  if (code === 'CSV_QUOTE_NOT_CLOSED') return 'A quoted cell is never closed (a " is missing).';
  if (code === 'CSV_INVALID_CLOSING_QUOTE') return 'A quoted cell has text after its closing quote.';
  return 'This line is not valid CSV.';
}

/**
 * The file's header, then each row (or a bad line with its reason), in order. Quoted cells
 * may span lines; a line's number is the line it starts on, counting the header as line 1.
 */
export async function* readCsv(
  file: string,
  opts: { encoding: Encoding; delimiter: Delimiter; onBytes?: (n: number) => void },
): AsyncGenerator<CsvItem> {
  // Records and skipped lines are queued by the parser's own callbacks, which run in file
  // order (its stream and its 'skip' event do not keep that order between them).
  const queue: CsvItem[] = [];
  let columns = 0;
  const parser = parse({
    bom: true,
    delimiter: opts.delimiter,
    record_delimiter: '\n',
    relax_column_count: false,
    skip_empty_lines: true,
    skip_records_with_error: true,
    raw: true,
    info: true,
    on_record: (rec: unknown) => {
      // With raw and info on, each record arrives wrapped with its raw text and position.
      const r = rec as { record: string[]; raw: string; info: { lines: number } };
      if (queue.length === 0 && columns === 0) {
        columns = r.record.length;
        queue.push({ type: 'header', fields: r.record.map((h) => h.trim()) });
      } else {
        queue.push({
          type: 'row',
          line: startLine(r.info.lines, r.raw),
          fields: r.record,
          raw: r.raw.replace(/^\n+/, '').replace(/\n$/, ''),
        });
      }
      return rec as string[];
    },
    on_skip: (err: CsvError | undefined, raw: string | undefined) => {
      const line = startLine(Number(err?.lines ?? 0), raw ?? '');
      // A broken quote can be reported more than once for one line: keep one entry, the last.
      const last = queue[queue.length - 1];
      if (last?.type === 'bad' && last.line === line) queue.pop();
      queue.push({
        type: 'bad',
        line,
        raw: (raw ?? '').replace(/^\n+/, '').replace(/\n$/, ''),
        reason: badReason(err?.code, err?.message ?? '', columns),
        fields: Array.isArray(err?.record) ? (err.record as string[]) : null,
      });
      return undefined;
    },
  });
  const source = createReadStream(file).pipe(decoder(opts.encoding, opts.onBytes ?? (() => undefined)));
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);
  try {
    // The parser's own output only drives the reading; the queue has the items in order.
    for await (const chunk of parser) {
      void chunk;
      while (queue.length) yield queue.shift()!;
    }
    while (queue.length) yield queue.shift()!;
  } finally {
    source.destroy();
  }
}
