// The frame of every form: a POST that carries the CSRF token and a one-time submission key
// (core/http/idempotency.ts), the page around a single form, its buttons and its way back.
import type { ComponentChildren } from 'preact';
import type { FormState } from '../http/forms.ts';
import { Card, CsrfField, FormMessage } from './components.tsx';
import type { PageContext } from './context.ts';
import { Layout } from './layout.tsx';
import { BackLink, Page } from './page.tsx';

export { BackLink };

/**
 * A form that posts: it always carries the CSRF token and a fresh submission key, so a second
 * submission of the same rendered form is harmless. `confirm` asks first (public/app.js);
 * `attrs` carries htmx attributes.
 */
export function PostForm(props: {
  action: string;
  csrfToken: string;
  class?: string;
  id?: string;
  novalidate?: boolean;
  multipart?: boolean;
  confirm?: string;
  attrs?: Record<string, string>;
  children?: ComponentChildren;
}) {
  return (
    <form
      method="post"
      action={props.action}
      id={props.id}
      enctype={props.multipart ? 'multipart/form-data' : undefined}
      class={props.class}
      novalidate={props.novalidate}
      data-confirm={props.confirm}
      {...props.attrs}
    >
      <CsrfField token={props.csrfToken} />
      {props.children}
    </form>
  );
}

/** A button that posts to one address, alone in its form (approve, archive, retry…). */
export function PostButton(props: {
  action: string;
  csrfToken: string;
  label: ComponentChildren;
  buttonClass?: string;
  class?: string;
  confirm?: string;
  /** Values the post carries along (the filters an export applies); an empty one is left out. */
  hidden?: Readonly<Record<string, string | undefined>>;
}) {
  return (
    <PostForm action={props.action} csrfToken={props.csrfToken} class={props.class} confirm={props.confirm}>
      {Object.entries(props.hidden ?? {})
        .filter(([, v]) => v !== undefined && v !== '')
        .map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
      <button class={props.buttonClass ?? 'button'} type="submit">
        {props.label}
      </button>
    </PostForm>
  );
}

/** The buttons under a form: the primary submit, an optional secondary link (Cancel, Back…). */
export function FormActions(props: {
  submit: ComponentChildren;
  /** The submit button's classes, when it is not the plain primary button. */
  submitClass?: string;
  secondary?: { href: string; label: ComponentChildren };
  children?: ComponentChildren;
}) {
  return (
    <div class="form-actions">
      <button class={props.submitClass ?? 'button'} type="submit">
        {props.submit}
      </button>
      {props.secondary && (
        <a class="button button-ghost" href={props.secondary.href}>
          {props.secondary.label}
        </a>
      )}
      {props.children}
    </div>
  );
}

/**
 * The page of one form in the app's frame: the way back, the title and its intro, and a card
 * holding the form's message (what went wrong as a whole) above the form.
 */
export function FormPage(props: {
  ctx: PageContext;
  title: string;
  intro?: string;
  back?: { href: string; label: ComponentChildren };
  form?: FormState;
  narrow?: boolean;
  children: ComponentChildren;
  /** What the page shows below the form's card (more cards). */
  after?: ComponentChildren;
}) {
  return (
    <Page ctx={props.ctx} title={props.title} subtitle={props.intro} back={props.back} narrow={props.narrow}>
      <Card>
        {props.form && <FormMessage form={props.form} />}
        {props.children}
      </Card>
      {props.after}
    </Page>
  );
}

/** A narrow page holding one card (sign-in style): the way back, its heading, an intro and the form. */
export function CardPage(props: {
  ctx: PageContext;
  title: string;
  heading?: string;
  intro?: ComponentChildren;
  back?: { href: string; label: ComponentChildren };
  form?: FormState;
  children: ComponentChildren;
}) {
  return (
    <Layout ctx={props.ctx} title={props.title} narrow>
      {props.back && <BackLink href={props.back.href}>{props.back.label}</BackLink>}
      <CardBody heading={props.heading ?? props.title} intro={props.intro} form={props.form}>
        {props.children}
      </CardBody>
    </Layout>
  );
}

/** The card of a CardPage, for layouts other than the app's (the back-office's). */
export function CardBody(props: {
  heading: string;
  intro?: ComponentChildren;
  form?: FormState;
  children: ComponentChildren;
}) {
  return (
    <section class="card auth-card">
      <h1>{props.heading}</h1>
      {props.intro && <p class="muted">{props.intro}</p>}
      {props.form && <FormMessage form={props.form} />}
      {props.children}
    </section>
  );
}
