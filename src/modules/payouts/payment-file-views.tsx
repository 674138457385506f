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
      <Card title="What downloading it does">
        <p>
          The file pays {preview.vendors} {preview.vendors === 1 ? 'vendor' : 'vendors'} and holds their full account
          numbers. Downloading it marks the payout as exported and is recorded in the organization’s activity.
        </p>
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
            label="Download the file"
          />
          <a class="button button-ghost" href={payoutPaths.detail(slug, payoutId)}>
            Back to the payout
          </a>
        </div>
      </Card>
    </Page>
  );
}
