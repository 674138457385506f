// The password fields of the account forms: the current one (to prove it is you) and a new one.
import type { FormState } from '../../core/http/forms.ts';
import { Field } from '../../core/views/components.tsx';

export function CurrentPasswordField(props: { form: FormState; name?: string; label?: string; hint?: string }) {
  return (
    <Field
      form={props.form}
      name={props.name ?? 'current_password'}
      label={props.label ?? 'Current password'}
      type="password"
      autocomplete="current-password"
      required
      hint={props.hint}
    />
  );
}

export function NewPasswordField({ form, label }: { form: FormState; label: string }) {
  return (
    <Field
      form={form}
      name="password"
      label={label}
      type="password"
      autocomplete="new-password"
      required
      minLength={10}
      hint="At least 10 characters. A short sentence works well."
    />
  );
}
