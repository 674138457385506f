import { migrate } from './core/db/migrate.ts';
import { seedDemo } from './modules/demo/service.ts';
import { createLogger, onShutdown, openRuntime, settingsOrExit, startTaskWorker, startWeb } from './runtime.ts';

// `npm start`: embedded database → migrate → demo data if empty → web server and worker.
const settings = settingsOrExit();
const log = createLogger(settings);

try {
  const rt = await openRuntime(settings, log);
  if (rt.connections.ownerUrl) {
    const applied = await migrate(rt.connections.ownerUrl, { log: (m) => log.info(m) });
    if (applied.length) log.info({ applied }, 'migrations applied');
  } else {
    log.warn('DATABASE_OWNER_URL is not set: not migrating (run `ledgerworks migrate` with it)');
  }
  if (!settings.isProduction) {
    const logins = await seedDemo(rt.db, rt.services.links);
    if (logins) {
      process.stdout.write(
        '\nDemo data created. Sign in with any of these (password for all: ' + logins[0]!.password + '):\n',
      );
      for (const l of logins) process.stdout.write(`  ${l.role.padEnd(11)} ${l.email}\n`);
      process.stdout.write(
        'The staff login opens the back-office (/staff) once it has turned on two-factor authentication.\n\n',
      );
    }
  }
  const worker = settings.runWorker ? await startTaskWorker(rt) : undefined;
  const app = await startWeb(rt);
  onShutdown(rt, { app, worker });
  process.stdout.write(`Ledgerworks is running at ${settings.baseUrl}\n`);
} catch (err) {
  const e = err as Error & { code?: string };
  if (e.code === 'EADDRINUSE') {
    process.stderr.write(
      `ledgerworks: port ${settings.port} is already in use; is Ledgerworks already running? Set PORT to use another.\n`,
    );
  } else {
    process.stderr.write(`ledgerworks: ${e.message}\n`);
    log.debug({ err }, 'start failed');
  }
  process.exit(1);
}
