let baseUrl = 'http://localhost:3000';

/** Set once at start from BASE_URL: links in emails must point at the public address. */
export function configureLinks(url: string): void {
  baseUrl = url.replace(/\/+$/, '');
}

/** An absolute link for an email (BASE_URL + path). */
export function appLink(path: string): string {
  return `${baseUrl}${path}`;
}
