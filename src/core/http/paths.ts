// Building the app's addresses: a module's paths.ts names its pages with these, so no view,
// redirect or mail spells a URL by hand.

/** `/o/<slug>/<segments…>`: an address inside one organization. */
export function orgPath(slug: string, ...segments: string[]): string {
  return [`/o/${slug}`, ...segments].join('/');
}

/** A path with a query string of the given parameters (empty and undefined ones left out). */
export function withQuery(path: string, params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** The org's slug as a route parameter: a path helper given it (and `:id`s) yields its route's pattern. */
export const ORG_PARAM = ':org';
