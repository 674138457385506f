import type { ComponentChildren } from 'preact';
import { assetUrl } from './assets.ts';
import type { Viewer } from '../http/types.ts';
import type { PageContext } from './context.ts';
import { ImpersonationBanner } from './impersonation-banner.tsx';
import { orgPath } from '../http/paths.ts';

const HTMX_CONFIG = JSON.stringify({ includeIndicatorStyles: false, allowEval: false, allowScriptTags: false });

export function Layout(props: { ctx: PageContext; title: string; children: ComponentChildren; narrow?: boolean }) {
  const { ctx } = props;
  return (
    <html lang="en">
      <PageHead ctx={ctx} title={`${props.title} · Ledgerworks`} />
      <body hx-headers={JSON.stringify({ 'x-csrf-token': ctx.csrfToken })}>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <ImpersonationBanner ctx={ctx} />
        <Header ctx={ctx} />
        <PageMain ctx={ctx} narrow={props.narrow}>
          {props.children}
        </PageMain>
        <footer class="site-footer container">
          <span>Ledgerworks</span>
          {ctx.devTools && <a href="/dev/mailbox">Dev mailbox</a>}
        </footer>
      </body>
    </html>
  );
}

/** The page's main area: its flash messages, then the page. */
export function PageMain(props: { ctx: PageContext; narrow?: boolean; children: ComponentChildren }) {
  return (
    <main id="main" class={props.narrow ? 'container narrow' : 'container'}>
      {props.ctx.flash.map((f) => (
        <div class={`flash flash-${f.kind}`} role={f.kind === 'error' ? 'alert' : 'status'}>
          {f.text}
        </div>
      ))}
      {props.children}
    </main>
  );
}

/** The signed-in person's menu: who they are, the links the layout adds (children), account settings, sign out. */
export function UserMenu(props: {
  ctx: PageContext;
  viewer: Viewer;
  label: string;
  badge?: ComponentChildren;
  children?: ComponentChildren;
}) {
  const { viewer } = props;
  return (
    <details class="menu usermenu">
      <summary aria-label={props.label}>
        <span class="avatar" aria-hidden="true">
          {initials(viewer.name)}
        </span>
        <span class="usermenu-name">
          {viewer.name}
          {props.badge}
        </span>
      </summary>
      <div class="menu-panel menu-right">
        <p class="menu-caption">{viewer.email}</p>
        {props.children}
        <a class="menu-item" href="/account">
          Account settings
        </a>
        <form method="post" action="/logout">
          <input type="hidden" name="_csrf" value={props.ctx.csrfToken} />
          <button class="menu-item" type="submit">
            Sign out
          </button>
        </form>
      </div>
    </details>
  );
}

/** The document head of every page (the app's and the back-office's): assets, htmx's config, the nonce. */
export function PageHead({ ctx, title }: { ctx: PageContext; title: string }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="htmx-config" content={HTMX_CONFIG} />
      <title>{title}</title>
      <link rel="icon" href={assetUrl('favicon.svg')} type="image/svg+xml" />
      <link rel="stylesheet" href={assetUrl('app.css')} />
      <script nonce={ctx.nonce} src={assetUrl('htmx.js')} defer />
      <script nonce={ctx.nonce} src={assetUrl('app.js')} defer />
    </head>
  );
}

function Header({ ctx }: { ctx: PageContext }) {
  const home = ctx.org ? orgPath(ctx.org.slug) : ctx.viewer ? '/orgs' : '/';
  return (
    <header class="topbar">
      <div class="container topbar-inner">
        <a class="brand" href={home}>
          <span class="brand-mark" aria-hidden="true">
            L
          </span>
          <span class={ctx.viewer ? 'brand-name brand-name-signed-in' : 'brand-name'}>Ledgerworks</span>
        </a>
        {ctx.viewer ? (
          <>
            <OrgSwitcher ctx={ctx} />
            <nav class="mainnav" aria-label="Main">
              {ctx.orgNav
                .filter((n) => !n.more)
                .map((n) => (
                  <a href={n.path} aria-current={isCurrent(ctx.path, n.path) ? 'page' : undefined}>
                    {n.label}
                  </a>
                ))}
              {/* On phones the nav row scrolls sideways, so these show inline there instead of in "More". */}
              {ctx.orgNav
                .filter((n) => n.more)
                .map((n) => (
                  <a
                    class="nav-phone-only"
                    href={n.path}
                    aria-current={isCurrent(ctx.path, n.path) ? 'page' : undefined}
                  >
                    {n.label}
                  </a>
                ))}
              {ctx.orgNav.some((n) => n.more) && (
                <details class="menu navmore">
                  <summary
                    class={
                      ctx.orgNav.some((n) => n.more && isCurrent(ctx.path, n.path)) ? 'navmore-current' : undefined
                    }
                  >
                    More
                  </summary>
                  <div class="menu-panel">
                    {ctx.orgNav
                      .filter((n) => n.more)
                      .map((n) => (
                        <a
                          class="menu-item"
                          href={n.path}
                          aria-current={isCurrent(ctx.path, n.path) ? 'page' : undefined}
                        >
                          {n.label}
                        </a>
                      ))}
                  </div>
                </details>
              )}
            </nav>
            <UserMenu ctx={ctx} viewer={ctx.viewer} label="Account menu">
              {ctx.viewer.staffRole && (
                <a class="menu-item" href="/staff">
                  Back-office
                </a>
              )}
            </UserMenu>
          </>
        ) : (
          <nav class="mainnav mainnav-public" aria-label="Account">
            <a href="/login" aria-current={ctx.path === '/login' ? 'page' : undefined}>
              Sign in
            </a>
            <a class="button button-small" href="/signup">
              Create account
            </a>
          </nav>
        )}
      </div>
    </header>
  );
}

function OrgSwitcher({ ctx }: { ctx: PageContext }) {
  const orgs = ctx.viewer?.orgs ?? [];
  return (
    <details class="menu switcher">
      <summary aria-label="Switch organization">{ctx.org ? ctx.org.name : 'Organizations'}</summary>
      <div class="menu-panel">
        <p class="menu-caption">Your organizations</p>
        {orgs.map((o) => (
          <a class="menu-item" href={orgPath(o.slug)} aria-current={ctx.org?.id === o.id ? 'true' : undefined}>
            <span>{o.name}</span>
            <span class="muted small">{o.role}</span>
          </a>
        ))}
        <a class="menu-item menu-item-action" href="/orgs/new">
          + New organization
        </a>
      </div>
    </details>
  );
}

function isCurrent(path: string, href: string): boolean {
  return path === href || (href.split('/').length > 3 && path.startsWith(`${href}/`));
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')).toUpperCase();
}
