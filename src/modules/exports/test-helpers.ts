// Test support for exports and reports: CSV parsed back.
import { parse } from 'csv-parse/sync';
import type { Agent } from '../../testing/harness.ts';

/** The rows of a CSV body as objects keyed by its header. */
export function csvRows(body: string): Record<string, string>[] {
  return parse<Record<string, string>>(body, { columns: true });
}

/**
 * Makes an export as a person does: opens the address a link leads to (what it will hold, and a
 * CSRF token), then presses its button, which posts the same filters.
 */
export async function postExport(agent: Agent, url: string) {
  await agent.get(url);
  const [pathname, query = ''] = url.split('?');
  // The query's fields as they are, a repeated one repeated (the schema must refuse it in the body too).
  const body = new URLSearchParams(query);
  if (agent.csrf) body.append('_csrf', agent.csrf);
  return agent.request({
    method: 'POST',
    url: pathname!,
    payload: body.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}
