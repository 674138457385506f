import type { ComponentChildren } from 'preact';
import type { FormState } from '../http/forms.ts';
import { newSubmissionKey, SUBMISSION_FIELD } from '../http/idempotency.ts';

/**
 * The hidden fields every form posts: the CSRF token, and a fresh submission key that
 * makes a second submission of this same rendered form harmless (core/http/idempotency.ts).
 */
export function CsrfField({ token }: { token: string }) {
  return (
    <>
      <input type="hidden" name="_csrf" value={token} />
      <input type="hidden" name={SUBMISSION_FIELD} value={newSubmissionKey()} />
    </>
  );
}

/** The hint under a field and its error, with the ids aria-describedby points at. */
function FieldHelp({ id, hint, error }: { id: string; hint?: string; error?: string }) {
  return (
    <>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </>
  );
}

/** A labelled input that shows its error beside it and keeps what the user typed. */
export function Field(props: {
  form: FormState;
  name: string;
  label: string;
  type?: string;
  autocomplete?: string;
  required?: boolean;
  hint?: string;
  maxLength?: number;
  minLength?: number;
  readOnly?: boolean;
}) {
  const error = props.form.errors[props.name];
  const id = `f-${props.name}`;
  const describedBy = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const isPassword = props.type === 'password';
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={isPassword ? '' : (props.form.values[props.name] ?? '')}
        autocomplete={props.autocomplete}
        required={props.required}
        maxLength={props.maxLength}
        minLength={props.minLength}
        readOnly={props.readOnly}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
      />
      <FieldHelp id={id} hint={props.hint} error={error} />
    </div>
  );
}

export function FormMessage({ form }: { form: FormState }) {
  const message = form.message ?? (Object.keys(form.errors).length ? 'Please correct the highlighted fields.' : null);
  return message ? (
    <div class="flash flash-error" role="alert">
      {message}
    </div>
  ) : null;
}

export function Card(props: {
  title?: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
  class?: string;
}) {
  return (
    <section class={`card ${props.class ?? ''}`.trim()}>
      {(props.title || props.actions) && (
        <header class="card-header">
          {props.title && <h2>{props.title}</h2>}
          {props.actions}
        </header>
      )}
      {props.children}
    </section>
  );
}

export function PageHeader(props: { title: string; subtitle?: string; actions?: ComponentChildren }) {
  return (
    <div class="page-header">
      <div>
        <h1>{props.title}</h1>
        {props.subtitle && <p class="muted">{props.subtitle}</p>}
      </div>
      {props.actions && <div class="page-actions">{props.actions}</div>}
    </div>
  );
}

export function EmptyState(props: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty-title">{props.title}</p>
      {props.children && <div class="muted">{props.children}</div>}
    </div>
  );
}

export function Badge(props: { tone?: 'neutral' | 'green' | 'red' | 'amber' | 'blue'; children: ComponentChildren }) {
  return <span class={`badge badge-${props.tone ?? 'neutral'}`}>{props.children}</span>;
}

/** A time in the viewer's zone, with the exact UTC instant as a machine-readable attribute. */
export function Time({ value, zone }: { value: Date | string; zone: string }) {
  const d = value instanceof Date ? value : new Date(value);
  return (
    <time datetime={d.toISOString()} title={d.toISOString()}>
      {formatDateTime(d, zone)}
    </time>
  );
}

// Building an Intl formatter costs far more than using one: keep one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: zone });
    } catch {
      f = formatterFor('UTC'); // a zone this runtime does not know
    }
    formatters.set(zone, f);
  }
  return f;
}

export function formatDateTime(d: Date, zone: string): string {
  return formatterFor(zone).format(d);
}

/** A labelled select that shows its error beside it and keeps the chosen value. */
export function SelectField(props: {
  form: FormState;
  name: string;
  label: string;
  options: readonly { value: string; label: string }[];
  hint?: string;
}) {
  const error = props.form.errors[props.name];
  const id = `f-${props.name}`;
  const value = props.form.values[props.name] ?? '';
  const describedBy = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
      >
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldHelp id={id} hint={props.hint} error={error} />
    </div>
  );
}

/** A checkbox with its label and an explanation under it. */
export function CheckboxField(props: { form: FormState; name: string; label: string; hint?: string }) {
  const error = props.form.errors[props.name];
  const id = `f-${props.name}`;
  return (
    <div class={error ? 'field field-check field-invalid' : 'field field-check'}>
      <label for={id}>
        <input
          id={id}
          type="checkbox"
          name={props.name}
          value="on"
          checked={props.form.values[props.name] === 'on'}
          aria-invalid={error ? 'true' : undefined}
        />
        <span>{props.label}</span>
      </label>
      <FieldHelp id={id} hint={props.hint} error={error} />
    </div>
  );
}

// Calendar dates ('2026-11-23') are shown as written, in UTC so no zone can shift them.
// Formatters are built once: building one costs far more than using it (50 rows, 50 builds).
const dayFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const monthFormats = {
  short: new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' }),
  long: new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }),
};

/** "23 Nov 2026" for a 'YYYY-MM-DD' date. */
export function formatDay(isoDate: string): string {
  return dayFormat.format(new Date(`${isoDate.slice(0, 10)}T00:00:00Z`));
}

/** "Nov" or "November 2026" for a 'YYYY-MM' or 'YYYY-MM-DD' date. */
export function formatMonth(isoDate: string, style: keyof typeof monthFormats): string {
  return monthFormats[style].format(new Date(`${isoDate.slice(0, 7)}-01T00:00:00Z`));
}

/** A labelled textarea that shows its error beside it and keeps what was typed. */
export function TextAreaField(props: {
  form: FormState;
  name: string;
  label: string;
  rows: number;
  maxLength: number;
  required?: boolean;
  hint?: string;
}) {
  const error = props.form.errors[props.name];
  const id = `f-${props.name}`;
  const describedBy = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      <textarea
        id={id}
        name={props.name}
        rows={props.rows}
        maxLength={props.maxLength}
        required={props.required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
      >
        {props.form.values[props.name] ?? ''}
      </textarea>
      <FieldHelp id={id} hint={props.hint} error={error} />
    </div>
  );
}
