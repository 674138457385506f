// CSV out of the app: cells made safe for spreadsheets, rows streamed so memory stays flat
// however many rows an export has.
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';

/**
 * A cell a spreadsheet would read as a formula (= + - @, and tab or carriage return that
 * some apps strip first) gets a leading apostrophe: names and descriptions are typed by people.
 */
export function neutralize(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

export type CsvCell = string | number | bigint | boolean | Date | null | undefined;

function cellText(v: CsvCell): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  return neutralize(String(v));
}

/**
 * A CSV byte stream: the header, then every row of `rows` as it arrives (csv-stringify's
 * streaming API, with backpressure: the next batch is read only when the consumer wants it).
 */
export function csvStream(header: readonly string[], rows: AsyncIterable<readonly CsvCell[]>): Readable {
  async function* cells() {
    yield header.map(neutralize);
    for await (const row of rows) yield row.map(cellText);
  }
  const source = Readable.from(cells());
  const out = stringify();
  source.on('error', (err) => out.destroy(err));
  // A consumer that goes away (a download cancelled) stops the reading too.
  out.on('close', () => source.destroy());
  return source.pipe(out);
}
