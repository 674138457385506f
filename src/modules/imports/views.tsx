import type { Import, TaskRun } from '../../core/db/schema.ts';
import type { ImportStatus } from './statuses.ts';
import type { FormState } from '../../core/http/forms.ts';
import { Card, FormMessage, SelectField, Time } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { DataTable } from '../../core/views/data-table.tsx';
import { FormActions, PostButton, PostForm } from '../../core/views/forms.tsx';
import { Page } from '../../core/views/page.tsx';
import { StatusBadge, type StatusKind } from '../../core/views/status-badge.tsx';
import { importPaths } from './paths.ts';
import { COLUMNS } from './rows.ts';
import { MAX_CSV_BYTES } from './upload.ts';

export const IMPORT_STATUS: StatusKind<ImportStatus> = {
  uploaded: { label: 'Uploaded', tone: 'neutral' },
  checking: { label: 'Checking', tone: 'blue' },
  checked: { label: 'Checked', tone: 'amber' },
  importing: { label: 'Importing', tone: 'blue' },
  imported: { label: 'Imported', tone: 'green' },
  failed: { label: 'Failed', tone: 'red' },
};

const KIND_OPTIONS = [
  { value: 'invoices', label: 'Invoices (as drafts)' },
  { value: 'vendors', label: 'Vendors' },
];
const ENCODING_OPTIONS = [
  { value: 'auto', label: 'Detect (UTF-8, else Latin-1 / Windows-1252)' },
  { value: 'utf-8', label: 'UTF-8' },
  { value: 'windows-1252', label: 'Latin-1 / Windows-1252' },
];
const DELIMITER_OPTIONS = [
  { value: 'auto', label: 'Detect from the header row' },
  { value: ',', label: 'Comma (,)' },
  { value: ';', label: 'Semicolon (;) — amounts like 1.234,56' },
];

type ListRow = Import & { created_by_name: string | null };

export function ImportsPage({ ctx, form, imports }: { ctx: PageContext; form: FormState; imports: ListRow[] }) {
  const slug = ctx.org!.slug;
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  return (
    <Page
      ctx={ctx}
      title="Import"
      subtitle="Load vendors or invoices from a CSV file. Every row is checked first; nothing is written until you choose to import."
    >
      <Card title="Upload a CSV file">
        <FormMessage form={form} />
        <PostForm action={importPaths.list(slug)} csrfToken={ctx.csrfToken} multipart class="stack" novalidate>
          <SelectField form={form} name="kind" label="The file holds" options={KIND_OPTIONS} />
          <div class={form.errors.file ? 'field field-invalid' : 'field'}>
            <label for="f-file">CSV file</label>
            <input id="f-file" name="file" type="file" accept=".csv,text/csv" aria-describedby="f-file-hint" />
            <p class="hint" id="f-file-hint">
              At most {MAX_CSV_BYTES / 1024 / 1024} MB. Invoice columns: {COLUMNS.invoices.required.join(', ')}, and
              optionally description (vendors by tax id; dates as YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY). Vendor columns:{' '}
              {COLUMNS.vendors.required.join(', ')}, and iban or account_number, bic, email.
            </p>
            {form.errors.file && <p class="field-error">{form.errors.file}</p>}
          </div>
          <div class="grid-2">
            <SelectField form={form} name="encoding" label="Encoding" options={ENCODING_OPTIONS} />
            <SelectField form={form} name="delimiter" label="Delimiter" options={DELIMITER_OPTIONS} />
          </div>
          <FormActions submit="Upload and check" />
        </PostForm>
      </Card>
      <Card title="Past imports">
        <DataTable<ListRow>
          columns={[
            { header: 'File', cell: (i) => <a href={importPaths.detail(slug, i.id)}>{i.file_name}</a> },
            { header: 'Kind', cell: (i) => i.kind },
            { header: 'Status', cell: (i) => <StatusBadge kind={IMPORT_STATUS} status={i.status} /> },
            { header: 'Rows', num: true, cell: (i) => i.total_rows },
            { header: 'Rejected', num: true, cell: (i) => i.rejected_rows },
            { header: 'Created', num: true, cell: (i) => i.created_rows },
            {
              header: 'Uploaded',
              cell: (i) => (
                <>
                  <Time value={i.created_at} zone={zone} /> <span class="muted small">{i.created_by_name ?? ''}</span>
                </>
              ),
            },
          ]}
          rows={imports}
          empty={{ title: 'No imports yet', children: 'Uploaded files and what became of them show here.' }}
        />
      </Card>
    </Page>
  );
}

/**
 * The state of an import. While a run works, htmx fetches this partial every second and
 * swaps it in; once the run is over the partial comes without hx-trigger, so polling stops.
 */
export function ImportProgress({
  ctx,
  imp,
  run,
  canRetry,
}: {
  ctx: PageContext;
  imp: Import;
  run: TaskRun | null;
  canRetry: boolean;
}) {
  const slug = ctx.org!.slug;
  const busy = imp.status === 'checking' || imp.status === 'importing';
  const total = run?.progress_total ?? 0;
  const done = run?.progress_done ?? 0;
  const applyForm: FormState = {
    values: { mode: imp.rejected_rows > 0 ? 'valid_rows' : 'all_or_nothing' },
    errors: {},
  };
  return (
    <div
      id="import-progress"
      class="import-progress"
      {...(busy
        ? { 'hx-get': importPaths.progress(slug, imp.id), 'hx-trigger': 'every 1s', 'hx-swap': 'outerHTML' }
        : {})}
    >
      <p>
        <StatusBadge kind={IMPORT_STATUS} status={imp.status} /> {imp.status === 'checking' && 'Checking every row…'}
        {imp.status === 'importing' && 'Importing…'}
        {imp.status === 'checked' && `${imp.total_rows} rows: ${imp.valid_rows} valid, ${imp.rejected_rows} rejected.`}
        {imp.status === 'checked' && imp.rejected_rows > 0 && (
          <>
            {' '}
            <a href={importPaths.detail(slug, imp.id)}>See the rejected rows</a>
          </>
        )}
        {imp.status === 'imported' &&
          `${imp.created_rows} created, ${imp.skipped_existing} already existed, ${imp.rejected_rows} rejected rows left out.`}
      </p>
      {busy && (
        <progress max={total || 1} value={total ? done : 0}>
          {done} of {total}
        </progress>
      )}
      {busy && run?.status === 'retrying' && (
        <p class="muted small">The last attempt failed ({run.error}); trying again.</p>
      )}
      {imp.status === 'checked' && (
        <PostForm action={importPaths.action(slug, imp.id, 'apply')} csrfToken={ctx.csrfToken} class="stack">
          <SelectField
            form={applyForm}
            name="mode"
            label="Import"
            options={[
              {
                value: 'valid_rows',
                label: `The ${imp.valid_rows} valid rows (leave out the ${imp.rejected_rows} rejected)`,
              },
              { value: 'all_or_nothing', label: 'All or nothing (refused if any row is rejected)' },
            ]}
          />
          <FormActions submit="Import" />
        </PostForm>
      )}
      {imp.status === 'failed' && (
        <div class="callout callout-danger" role="alert">
          <p>{imp.error}</p>
          {!imp.failed_stage && (
            <p>
              <a href={importPaths.list(slug)}>Upload a corrected file</a>
            </p>
          )}
          {canRetry && imp.failed_stage && (
            <PostButton
              action={importPaths.action(slug, imp.id, 'retry')}
              csrfToken={ctx.csrfToken}
              label="Try again"
            />
          )}
        </div>
      )}
    </div>
  );
}

export function ImportPage(props: {
  ctx: PageContext;
  imp: Import;
  run: TaskRun | null;
  rejections: { line: number; reason: string }[];
  shown: number;
  canRetry: boolean;
}) {
  const { ctx, imp, rejections } = props;
  const slug = ctx.org!.slug;
  return (
    <Page
      ctx={ctx}
      title={`Import ${imp.file_name}`}
      heading={imp.file_name}
      subtitle={`${imp.kind === 'invoices' ? 'Invoices' : 'Vendors'} · ${Number(imp.file_size).toLocaleString('en-GB')} bytes`}
      actions={<a href={importPaths.list(slug)}>All imports</a>}
    >
      <Card title="Status">
        <ImportProgress ctx={ctx} imp={imp} run={props.run} canRetry={props.canRetry} />
      </Card>
      {imp.rejected_rows > 0 && rejections.length > 0 && (
        <Card
          title={`Rejected rows (${imp.rejected_rows})`}
          actions={
            <a class="button button-ghost button-small" href={importPaths.rejections(slug, imp.id)}>
              Download rejected rows (CSV)
            </a>
          }
        >
          {imp.rejected_rows > rejections.length && (
            <p class="muted">
              The first {rejections.length} of {imp.rejected_rows}; the download has them all.
            </p>
          )}
          <DataTable
            columns={[
              { header: 'Line', num: true, cell: (r) => r.line },
              { header: 'Reason', cell: (r) => r.reason },
            ]}
            rows={rejections}
            empty={{ title: 'No rejected rows' }}
          />
        </Card>
      )}
    </Page>
  );
}
