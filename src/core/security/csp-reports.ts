import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db/pool.ts';
import { CSP_REPORT_PATH } from './headers.ts';

const legacy = z.object({
  'csp-report': z
    .object({
      'document-uri': z.string().optional(),
      'blocked-uri': z.string().optional(),
      'violated-directive': z.string().optional(),
      'effective-directive': z.string().optional(),
      disposition: z.string().optional(),
      'source-file': z.string().optional(),
      'line-number': z.number().optional(),
    })
    .loose(),
});

const reportingApi = z
  .array(
    z
      .object({
        type: z.string(),
        body: z
          .object({
            documentURL: z.string().optional(),
            blockedURL: z.string().optional(),
            effectiveDirective: z.string().optional(),
            disposition: z.string().optional(),
            sourceFile: z.string().optional(),
            lineNumber: z.number().optional(),
          })
          .loose(),
      })
      .loose(),
  )
  .max(20);

type Row = {
  document_uri: string | null;
  blocked_uri: string | null;
  violated_directive: string | null;
  disposition: string | null;
  source_file: string | null;
  line_number: number | null;
  raw: string;
};

const cut = (s: string | undefined, n = 2000) => (s === undefined ? null : s.slice(0, n));

/** Normalizes both report formats (report-uri's JSON object, report-to's array) into rows. */
export function parseCspReport(body: unknown): Row[] {
  const one = legacy.safeParse(body);
  if (one.success) {
    const r = one.data['csp-report'];
    return [
      {
        document_uri: cut(r['document-uri']),
        blocked_uri: cut(r['blocked-uri']),
        violated_directive: cut(r['effective-directive'] ?? r['violated-directive'], 200),
        disposition: cut(r.disposition, 20),
        source_file: cut(r['source-file']),
        line_number: r['line-number'] ?? null,
        raw: JSON.stringify(r),
      },
    ];
  }
  const many = reportingApi.safeParse(body);
  if (many.success) {
    return many.data
      .filter((r) => r.type === 'csp-violation')
      .map((r) => ({
        document_uri: cut(r.body.documentURL),
        blocked_uri: cut(r.body.blockedURL),
        violated_directive: cut(r.body.effectiveDirective, 200),
        disposition: cut(r.body.disposition, 20),
        source_file: cut(r.body.sourceFile),
        line_number: r.body.lineNumber ?? null,
        raw: JSON.stringify(r),
      }));
  }
  return [];
}

/** The endpoint browsers send violation reports to: size-limited, rate-limited, no CSRF token (browsers send none). */
export async function registerCspReports(app: FastifyInstance, db: Db): Promise<void> {
  const bodyLimit = 16 * 1024;
  for (const type of ['application/csp-report', 'application/reports+json']) {
    app.addContentTypeParser(type, { parseAs: 'string', bodyLimit }, (_req, body, done) => {
      try {
        done(null, JSON.parse(String(body)));
      } catch {
        const err = Object.assign(new Error('report is not JSON'), { statusCode: 400 });
        done(err, undefined);
      }
    });
  }
  app.post(
    CSP_REPORT_PATH,
    {
      bodyLimit,
      config: { access: 'public', csrf: false, rateLimit: { max: 30, timeWindow: '1 minute' } },
      logLevel: 'warn',
    },
    async (request, reply) => {
      const rows = parseCspReport(request.body);
      if (rows.length) {
        const userAgent = cut(request.headers['user-agent'], 500);
        await db
          .insertInto('csp_reports')
          .values(rows.map((r) => ({ ...r, user_agent: userAgent })))
          .execute();
        request.log.warn(
          { cspViolation: rows.map((r) => ({ directive: r.violated_directive, blocked: r.blocked_uri })) },
          'CSP violation reported',
        );
      }
      return reply.code(204).send();
    },
  );
}
