import { z } from 'zod';

/** The development secret is public on purpose: production refuses it. */
export const DEV_SECRET_KEY = 'dev-only-insecure-secret-key-change-me-0123456789';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: int(0, 65535).default(3000),
  BASE_URL: z.url().optional(),
  SECRET_KEY: z.string().default(DEV_SECRET_KEY),
  DATABASE_URL: z.string().optional(),
  DATABASE_OWNER_URL: z.string().optional(),
  EMBEDDED_PG_PORT: int(1024, 65535).default(54329),
  EMBEDDED_PG_DIR: z.string().default('var/pg'),
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  ALLOWED_HOSTS: list.default([]),
  COOKIE_SECURE: bool.optional(),
  CSP_REPORT_ONLY: bool.default(false),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Ledgerworks <no-reply@ledgerworks.localhost>'),
  METRICS_TOKEN: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  RUN_WORKER: bool.default(true),
  WORKER_CONCURRENCY: int(1, 100).default(4),
  SESSION_IDLE_MINUTES: int(5, 60 * 24 * 90).default(60 * 24 * 7),
  SESSION_ABSOLUTE_HOURS: int(1, 24 * 365).default(24 * 30),
  TRUST_PROXY: bool.default(false),
  UPLOAD_DIR: z.string().min(1).default('var/uploads'),
  EXPORT_DIRECT_MAX_ROWS: int(0, 1_000_000).default(10_000),
  AUDIT_RETENTION_DAYS: int(365, 36_500).optional(),
});

export type Settings = Readonly<{
  env: 'development' | 'test' | 'production';
  isProduction: boolean;
  host: string;
  port: number;
  baseUrl: string;
  secretKey: string;
  /** Runtime connection; undefined means "use the embedded server". */
  databaseUrl: string | undefined;
  /** Connection of the role that owns the schema and runs migrations. */
  databaseOwnerUrl: string | undefined;
  embeddedPgPort: number;
  embeddedPgDir: string;
  databasePoolSize: number;
  allowedHosts: readonly string[];
  cookieSecure: boolean;
  cspReportOnly: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  metricsToken: string | undefined;
  logLevel: string;
  runWorker: boolean;
  workerConcurrency: number;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  trustProxy: boolean;
  /** Where uploaded files (invoice PDFs) are kept: outside the web root, one folder per org. */
  uploadDir: string;
  /** An export of at most this many rows streams as the response; a larger one is built as a file by a task. */
  exportDirectMaxRows: number;
  /**
   * Audit entries older than this many days are removed nightly, in whole months (at least 365;
   * the database refuses less). null: kept for ever.
   */
  auditRetentionDays: number | null;
}>;

export class SettingsError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
    this.name = 'SettingsError';
  }
}

/** Why a secret is too weak to protect production cookies, or null when it is fine. */
export function secretKeyWeakness(key: string): string | null {
  if (key === DEV_SECRET_KEY) return 'is the public development default';
  if (key.length < 32) return `is ${key.length} characters long; use at least 32 random characters`;
  if (new Set(key).size < 12) return 'repeats too few distinct characters to be random';
  return null;
}

/**
 * Reads and validates settings. Throws SettingsError naming the first bad setting:
 * production refuses to start with values that would be unsafe there.
 */
export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'settings');
    throw new SettingsError(name, issue?.message ?? 'invalid');
  }
  const s = parsed.data;
  const isProduction = s.NODE_ENV === 'production';
  const cookieSecure = s.COOKIE_SECURE ?? isProduction;

  if (isProduction) {
    if (env.SECRET_KEY === undefined || env.SECRET_KEY === '') {
      throw new SettingsError('SECRET_KEY', 'is required in production (32+ random characters)');
    }
    const weakness = secretKeyWeakness(s.SECRET_KEY);
    if (weakness) throw new SettingsError('SECRET_KEY', weakness);
    if (!s.DATABASE_URL) {
      throw new SettingsError('DATABASE_URL', 'is required in production (the embedded database is for development)');
    }
    if (!cookieSecure) {
      throw new SettingsError('COOKIE_SECURE', 'must not be false in production: cookies would travel over plain HTTP');
    }
    if (s.ALLOWED_HOSTS.length === 0) {
      throw new SettingsError(
        'ALLOWED_HOSTS',
        'is empty; list the host names this app answers to, e.g. ALLOWED_HOSTS=ledgerworks.example.com',
      );
    }
    if (!s.BASE_URL) {
      throw new SettingsError('BASE_URL', 'is required in production (links in emails are built from it)');
    }
    if (!s.SMTP_URL) {
      throw new SettingsError(
        'SMTP_URL',
        'is required in production: without it no email (sign-up, reset) would leave the outbox',
      );
    }
    if (!s.BASE_URL.startsWith('https://')) {
      throw new SettingsError('BASE_URL', 'must start with https:// in production');
    }
  }

  return Object.freeze({
    env: s.NODE_ENV,
    isProduction,
    host: s.HOST,
    port: s.PORT,
    baseUrl: (s.BASE_URL ?? `http://localhost:${s.PORT}`).replace(/\/$/, ''),
    secretKey: s.SECRET_KEY,
    databaseUrl: s.DATABASE_URL,
    databaseOwnerUrl: s.DATABASE_OWNER_URL,
    embeddedPgPort: s.EMBEDDED_PG_PORT,
    embeddedPgDir: s.EMBEDDED_PG_DIR,
    databasePoolSize: s.DATABASE_POOL_SIZE,
    allowedHosts: s.ALLOWED_HOSTS,
    cookieSecure,
    cspReportOnly: s.CSP_REPORT_ONLY,
    smtpUrl: s.SMTP_URL,
    mailFrom: s.MAIL_FROM,
    metricsToken: s.METRICS_TOKEN,
    logLevel: s.LOG_LEVEL ?? (s.NODE_ENV === 'test' ? 'silent' : 'info'),
    runWorker: s.RUN_WORKER,
    workerConcurrency: s.WORKER_CONCURRENCY,
    sessionIdleMinutes: s.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: s.SESSION_ABSOLUTE_HOURS,
    trustProxy: s.TRUST_PROXY,
    uploadDir: s.UPLOAD_DIR,
    exportDirectMaxRows: s.EXPORT_DIRECT_MAX_ROWS,
    auditRetentionDays: s.AUDIT_RETENTION_DAYS ?? null,
  });
}
