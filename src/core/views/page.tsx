// A page of the app under its heading: the title names the browser tab and the page, the subtitle
// says what the page is for, the actions sit beside the heading, the way back above it.
import type { ComponentChildren } from 'preact';
import { PageHeader } from './components.tsx';
import type { PageContext } from './context.ts';
import { Layout } from './layout.tsx';

/** "← Somewhere": the way back above a page's title. */
export function BackLink({ href, children }: { href: string; children: ComponentChildren }) {
  return (
    <p class="small">
      <a href={href}>← {children}</a>
    </p>
  );
}

export function Page(props: {
  ctx: PageContext;
  /** The browser tab's title, and the heading unless `heading` says otherwise. */
  title: string;
  heading?: string;
  subtitle?: string;
  actions?: ComponentChildren;
  back?: { href: string; label: ComponentChildren };
  narrow?: boolean;
  children?: ComponentChildren;
}) {
  return (
    <Layout ctx={props.ctx} title={props.title} narrow={props.narrow}>
      {props.back && <BackLink href={props.back.href}>{props.back.label}</BackLink>}
      <PageHeader title={props.heading ?? props.title} subtitle={props.subtitle} actions={props.actions} />
      {props.children}
    </Layout>
  );
}
