// The actions card of a record page: each action the record offers now, what it will do, and what
// it asks first (a reason, a choice, the record's name typed). An action the staff member's role
// does not allow is named with the role it needs, without a form.
import type { FormState } from '../http/forms.ts';
import { STAFF_ACCESS, staffMay, type StaffRole } from '../http/staff-access.ts';
import { Card, Field, FormMessage, SelectField } from '../views/components.tsx';
import { FormActions, PostForm } from '../views/forms.tsx';
import type { RecordAction, RecordView } from './record-types.ts';

const EMPTY: FormState = { values: {}, errors: {} };

/** The form field names of one action: prefixed, so that several actions fit on one page. */
export function actionFields(action: RecordAction) {
  const n = action.name;
  return { reason: `${n}_reason`, choice: `${n}_choice`, confirm: `${n}_confirm`, seen: `${n}_seen` };
}

export function RecordActions(props: {
  actions: readonly RecordAction[];
  record: RecordView;
  base: string;
  role: StaffRole | null;
  csrfToken: string;
  forms: Readonly<Record<string, FormState>>;
}) {
  const offered = props.actions.filter((a) => props.record.offers?.[a.name]);
  if (offered.length === 0) return null;
  return (
    <Card title="What you can do">
      <div class="stack">
        {offered.map((a) => {
          if (!staffMay(props.role, a.access)) {
            const roles = (STAFF_ACCESS[a.access] as readonly string[]).join(' or ');
            return (
              <p class="muted small">
                {a.label}: needs the {roles} role.
              </p>
            );
          }
          const form = props.forms[a.name] ?? EMPTY;
          const f = actionFields(a);
          const offer = props.record.offers?.[a.name] ?? {};
          const choices = offer.choices ?? [];
          return (
            <div id={`action-${a.name}`}>
              <p class="small">{offer.explain ?? a.explain}</p>
              <FormMessage form={form} />
              <PostForm
                action={`${props.base}/${a.name}`}
                csrfToken={props.csrfToken}
                class="stack"
                novalidate
                confirm={a.typed ? undefined : `${a.label}?`}
              >
                {offer.seen !== undefined && <input type="hidden" name={f.seen} value={offer.seen} />}
                {a.choice && <SelectField form={form} name={f.choice} label={a.choice} options={choices} />}
                {a.reason && (
                  <Field form={form} name={f.reason} label="Reason (a ticket reference)" required maxLength={200} />
                )}
                {a.typed && (
                  <Field
                    form={form}
                    name={f.confirm}
                    label={`Type “${props.record.confirmText ?? ''}” to confirm`}
                    required
                    maxLength={320}
                  />
                )}
                <FormActions submit={a.label} submitClass={a.typed ? 'button button-danger' : 'button button-ghost'} />
              </PostForm>
            </div>
          );
        })}
      </div>
    </Card>
  );
}
