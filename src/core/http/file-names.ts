// The names of files people upload, as stored and as sent back in a download.

const MAX_NAME = 150;

/**
 * A file name safe to store and to send back: no path, no control characters, no quotes or
 * shell-ish characters, no leading dots, at most 150 characters. With `extension`, the name ends
 * in it (added when missing, kept when the name is cut); an empty name becomes `fallback`.
 */
export function safeFileName(name: string, opts: { fallback: string; extension?: string }): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const clean = base
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  if (!clean) return opts.fallback;
  const ext = opts.extension;
  if (!ext) return clean.slice(0, MAX_NAME);
  const named = clean.toLowerCase().endsWith(ext.toLowerCase()) ? clean : `${clean}${ext}`;
  return named.length > MAX_NAME ? `${named.slice(0, MAX_NAME - ext.length).trim()}${ext}` : named;
}

/**
 * Content-Disposition for a download: the name as is when it is plain ASCII; otherwise an ASCII
 * name for old clients and the exact one as RFC 5987 filename*.
 */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  if (ascii === name) return `attachment; filename="${name}"`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
