import { AsyncLocalStorage } from 'node:async_hooks';

/** Per-request figures gathered across async calls, e.g. for the Server-Timing header. */
export type RequestTimings = { dbMs: number; dbQueries: number };

const storage = new AsyncLocalStorage<RequestTimings>();

export function enterTimings(timings: RequestTimings): void {
  storage.enterWith(timings);
}

export function addDbTime(ms: number): void {
  const t = storage.getStore();
  if (t) {
    t.dbMs += ms;
    t.dbQueries += 1;
  }
}
