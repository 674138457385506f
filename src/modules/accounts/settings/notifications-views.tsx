// The notification settings page: how each kind of notice reaches the person.
import { NOTIFICATION_DELIVERIES } from '../../notifications/service.ts';
import type { FormState } from '../../../core/http/forms.ts';
import { CsrfField, FormMessage } from '../../../core/views/components.tsx';
import type { PageContext } from '../../../core/views/context.ts';
import { Layout } from '../../../core/views/layout.tsx';
import { DELIVERY_LABELS, KIND_LABELS, NOTIFICATION_KINDS } from '../../notifications/service.ts';
import { BackToAccount } from './back-to-account.tsx';

export function NotificationsPage({ ctx, form }: { ctx: PageContext; form: FormState }) {
  return (
    <Layout ctx={ctx} title="Notifications" narrow>
      <BackToAccount />
      <section class="card">
        <h1>Notifications</h1>
        <p class="muted">
          For each kind of event: an email at once, one daily digest at 07:00 UTC with everything since the last one, or
          nothing. You never get an email about something you did yourself.
        </p>
        <FormMessage form={form} />
        <form method="post" action="/account/notifications" class="stack" novalidate>
          <CsrfField token={ctx.csrfToken} />
          {NOTIFICATION_KINDS.map((kind) => {
            const error = form.errors[kind];
            return (
              <fieldset
                class={error ? 'notification-choice field-invalid' : 'notification-choice'}
                aria-describedby={error ? `f-${kind}-error` : undefined}
              >
                <legend>{KIND_LABELS[kind]}</legend>
                <div class="notification-options">
                  {NOTIFICATION_DELIVERIES.map((d) => (
                    <label class="checkbox">
                      <input type="radio" name={kind} value={d} checked={form.values[kind] === d} />
                      {DELIVERY_LABELS[d]}
                    </label>
                  ))}
                </div>
                {error && (
                  <p class="field-error" id={`f-${kind}-error`}>
                    {error}
                  </p>
                )}
              </fieldset>
            );
          })}
          <div class="form-actions">
            <button class="button" type="submit">
              Save
            </button>
            <a class="button button-ghost" href="/account">
              Cancel
            </a>
          </div>
        </form>
      </section>
    </Layout>
  );
}
