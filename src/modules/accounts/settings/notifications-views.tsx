// The notification settings page: how each kind of notice reaches the person.
import type { FormState } from '../../../core/http/forms.ts';
import type { PageContext } from '../../../core/views/context.ts';
import { CardPage, FormActions, PostForm } from '../../../core/views/forms.tsx';
import {
  DELIVERY_LABELS,
  KIND_LABELS,
  NOTIFICATION_DELIVERIES,
  NOTIFICATION_KINDS,
} from '../../notifications/service.ts';
import { BACK_TO_ACCOUNT } from './back-to-account.tsx';

export function NotificationsPage({ ctx, form }: { ctx: PageContext; form: FormState }) {
  return (
    <CardPage
      ctx={ctx}
      title="Notifications"
      intro="For each kind of event: an email at once, one daily digest at 07:00 UTC with everything since the last one, or nothing. You never get an email about something you did yourself."
      back={BACK_TO_ACCOUNT}
      form={form}
    >
      <PostForm action="/account/notifications" csrfToken={ctx.csrfToken} class="stack" novalidate>
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
        <FormActions submit="Save" secondary={{ href: BACK_TO_ACCOUNT.href, label: 'Cancel' }} />
      </PostForm>
    </CardPage>
  );
}
