// The back-office's own layout: a dark header that says "Back-office" and the staff role, so
// no one mistakes it for a customer's page. Same assets, same CSP as the rest of the app.
import type { ComponentChildren } from 'preact';
import { STAFF_ROLE_LABELS } from '../http/staff-access.ts';
import type { PageContext } from '../views/context.ts';
import { PageHead, PageMain, UserMenu } from '../views/layout.tsx';

export type StaffNavEntry = { label: string; path: string };

export function StaffLayout(props: {
  ctx: PageContext;
  title: string;
  nav?: readonly StaffNavEntry[];
  children: ComponentChildren;
  narrow?: boolean;
}) {
  const { ctx } = props;
  const viewer = ctx.viewer;
  return (
    <html lang="en">
      <PageHead ctx={ctx} title={`${props.title} · Back-office · Ledgerworks`} />
      <body class="staff-area" hx-headers={JSON.stringify({ 'x-csrf-token': ctx.csrfToken })}>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="topbar staff-topbar">
          <div class="container topbar-inner">
            <a class="brand" href="/staff">
              <span class="brand-mark staff-mark" aria-hidden="true">
                L
              </span>
              <span class="brand-name">Back-office</span>
            </a>
            <nav class="mainnav staff-nav" aria-label="Back-office">
              {(props.nav ?? []).map((n) => (
                <a href={n.path} aria-current={ctx.path === n.path ? 'page' : undefined}>
                  {n.label}
                </a>
              ))}
            </nav>
            {viewer && (
              <UserMenu
                ctx={ctx}
                viewer={viewer}
                label={`Staff menu for ${viewer.name}`}
                badge={viewer.staffRole && <span class="staff-role"> · {STAFF_ROLE_LABELS[viewer.staffRole]}</span>}
              >
                <a class="menu-item" href="/orgs">
                  Leave the back-office
                </a>
              </UserMenu>
            )}
          </div>
        </header>
        <PageMain ctx={ctx} narrow={props.narrow}>
          {props.children}
        </PageMain>
        <footer class="site-footer container">
          <span>Ledgerworks back-office: every page you open here on a customer's data is recorded.</span>
        </footer>
      </body>
    </html>
  );
}
