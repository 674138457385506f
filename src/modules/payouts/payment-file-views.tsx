// The page a link to a payout's payment file opens: what downloading it does, and the button that does it.
import { Card, Time } from '../../core/views/components.tsx';
import type { PageContext } from '../../core/views/context.ts';
import { PostButton } from '../../core/views/forms.tsx';
import { Page } from '../../core/views/page.tsx';
import { payoutPaths } from './paths.ts';
import type { PaymentFilePreview } from './service.ts';

const FORMAT_WORDS = { csv: 'CSV (a spreadsheet)', xml: 'SEPA XML (pain.001, for the bank)' } as const;

/** What downloading a payout's payment file does, before it does it: where a link to the file leads. */
export function PaymentFilePage({
  ctx,
  payoutId,
  preview,
}: {
  ctx: PageContext;
  payoutId: string;
  preview: PaymentFilePreview;
}) {
  const slug = ctx.org?.slug ?? '';
  const zone = ctx.viewer?.timeZone ?? 'UTC';
  return (
    <Page ctx={ctx} title={`Payment file of ${preview.reference}`} subtitle={FORMAT_WORDS[preview.format]}>
      {preview.copy ? (
        <Card title="This payout is already paid: the download is a copy">
          <p>
            {preview.reference} was paid
            {preview.paidAt && (
              <>
                {' '}
                <Time value={preview.paidAt} zone={zone} />
              </>
            )}
            {preview.bankReference && <> (bank reference {preview.bankReference})</>}. Downloading its payment file
            again gives a copy for your records, marked COPY in its file name and its content. Do not send it to the
            bank: the transfers were made. The copy is recorded in the organization’s activity.
          </p>
        </Card>
      ) : null}
      <Card title="What downloading it does">
        {preview.copy ? (
          <p>
            The copy names {preview.vendors} {preview.vendors === 1 ? 'vendor' : 'vendors'} with their full account
            numbers. The payout stays as it is.
          </p>
        ) : (
          <p>
            The file pays {preview.vendors} {preview.vendors === 1 ? 'vendor' : 'vendors'} and holds their full account
            numbers. Downloading it marks the payout as exported and is recorded in the organization’s activity.
          </p>
        )}
        {preview.exportedAt && (
          <p class="muted">
            It was last downloaded <Time value={preview.exportedAt} zone={zone} />.
          </p>
        )}
        <div class="form-actions">
          <PostButton
            action={payoutPaths.paymentFile(slug, payoutId, preview.format)}
            csrfToken={ctx.csrfToken}
            class="inline-form"
            label={preview.copy ? 'Download a marked copy' : 'Download the file'}
          />
          <a class="button button-ghost" href={payoutPaths.detail(slug, payoutId)}>
            Back to the payout
          </a>
        </div>
      </Card>
    </Page>
  );
}
