// A worker in a process of its own, for the imports crash test (modules/imports/imports-crash.test.ts): it is killed
// with SIGKILL mid-import. Reads the database URL and upload folder from the environment;
// IMPORT_BATCH_DELAY_MS slows each batch so the test can catch it half done. It lives here, not in
// the imports module, because it runs the whole app's task list (server.ts), which no module imports.
import pino from 'pino';
import { appServices } from '../core/app-services.ts';
import { createDb, createPool } from '../core/db/pool.ts';
import { startTestWorker, testSettings } from './harness.ts';
import { setImportBatchDelay } from '../modules/imports/apply.ts';

const url = process.env.LW_WORKER_DB_URL;
const uploadDir = process.env.UPLOAD_DIR;
if (!url || !uploadDir) throw new Error('LW_WORKER_DB_URL and UPLOAD_DIR must be set');
setImportBatchDelay(Number(process.env.IMPORT_BATCH_DELAY_MS ?? 0));
const log = pino({ level: 'silent' });
const pool = createPool(url, 4, log);
await startTestWorker({ appUrl: url, db: createDb(pool) }, appServices(testSettings({ UPLOAD_DIR: uploadDir })), log, {
  concurrency: 1,
});
process.stdout.write('worker ready\n');
