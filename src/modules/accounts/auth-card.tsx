// The narrow card of the signed-out account flows (password reset, email links).
import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../core/views/context.ts';
import { Layout } from '../../core/views/layout.tsx';

export function AuthCard(props: { ctx: PageContext; title: string; children: ComponentChildren }) {
  return (
    <Layout ctx={props.ctx} title={props.title} narrow>
      <section class="card auth-card">
        <h1>{props.title}</h1>
        {props.children}
      </section>
    </Layout>
  );
}
