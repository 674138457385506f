// The back-office's own layout: a dark header that says "Back-office" and the staff role, so
// no one mistakes it for a customer's page. Same assets, same CSP as the rest of the app.
import type { ComponentChildren } from 'preact';
import { STAFF_ROLE_LABELS } from '../http/staff-access.ts';
import type { PageContext } from '../views/context.ts';
import { initials, PageHead } from '../views/layout.tsx';

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
              <details class="menu usermenu">
                <summary aria-label={`Staff menu for ${viewer.name}`}>
                  <span class="avatar" aria-hidden="true">
                    {initials(viewer.name)}
                  </span>
                  <span class="usermenu-name">
                    {viewer.name}
                    {viewer.staffRole && <span class="staff-role"> · {STAFF_ROLE_LABELS[viewer.staffRole]}</span>}
                  </span>
                </summary>
                <div class="menu-panel menu-right">
                  <p class="menu-caption">{viewer.email}</p>
                  <a class="menu-item" href="/orgs">
                    Leave the back-office
                  </a>
                  <a class="menu-item" href="/account">
                    Account settings
                  </a>
                  <form method="post" action="/logout">
                    <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                    <button class="menu-item" type="submit">
                      Sign out
                    </button>
                  </form>
                </div>
              </details>
            )}
          </div>
        </header>
        <main id="main" class={props.narrow ? 'container narrow' : 'container'}>
          {ctx.flash.map((f) => (
            <div class={`flash flash-${f.kind}`} role={f.kind === 'error' ? 'alert' : 'status'}>
              {f.text}
            </div>
          ))}
          {props.children}
        </main>
        <footer class="site-footer container">
          <span>Ledgerworks back-office: every page you open here on a customer's data is recorded.</span>
        </footer>
      </body>
    </html>
  );
}
