// The back-office's lists (and its other pages, such as the operations overview) by area, as the
// list pages' side navigation and the home page show them.
import { ADMIN_AREAS, type AdminArea } from './list-types.ts';

/** One entry of an area: a list, or (`page`) another page such as the operations overview. */
export type AdminNavEntry = { name: string; title: string; page?: true };

export type AdminNavGroup = { area: AdminArea; lists: readonly AdminNavEntry[] };

/** A back-office page of an area at /staff/<name> that is not a list (ModuleDef.adminPages). */
export type AdminPage = { name: string; title: string; area: AdminArea; order: number };

export function adminNav(lists: readonly AdminPage[], pages: readonly AdminPage[] = []): AdminNavGroup[] {
  const entries = [...pages.map((p) => ({ ...p, page: true as const })), ...lists];
  return ADMIN_AREAS.map((area) => ({
    area,
    lists: entries
      .filter((l) => l.area === area)
      .sort((a, b) => a.order - b.order)
      .map((l) =>
        'page' in l ? { name: l.name, title: l.title, page: true as const } : { name: l.name, title: l.title },
      ),
  })).filter((g) => g.lists.length > 0);
}

export function AdminSideNav(props: { groups: readonly AdminNavGroup[]; current?: string }) {
  return (
    <nav class="admin-side" aria-label="Back-office lists">
      {props.groups.map((g) => (
        <div class="admin-side-group">
          <h2 class="admin-side-area">{g.area}</h2>
          <ul>
            {g.lists.map((l) => (
              <li>
                <a href={`/staff/${l.name}`} aria-current={props.current === l.name ? 'page' : undefined}>
                  {l.title}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}

/** The home page's directory of lists: one card per area. */
export function AdminDirectory(props: { groups: readonly AdminNavGroup[] }) {
  return (
    <div class="admin-directory">
      {props.groups.map((g) => (
        <section class="card">
          <h2>{g.area}</h2>
          <ul class="admin-directory-links">
            {g.lists.map((l) => (
              <li>
                <a href={`/staff/${l.name}`}>{l.title}</a>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
