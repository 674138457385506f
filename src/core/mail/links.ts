/** Absolute links for emails: they must point at the public address (BASE_URL). */
export type Links = {
  /** BASE_URL + path. */
  appLink: (path: string) => string;
};

export function linksFor(baseUrl: string): Links {
  const base = baseUrl.replace(/\/+$/, '');
  return { appLink: (path) => `${base}${path}` };
}
