import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent, PRODUCTION_ENV, signUp, useTestApp } from '../../testing/harness.ts';

const t = useTestApp();

function cspOf(res: { headers: Record<string, unknown> }): string {
  const v = res.headers['content-security-policy'];
  return typeof v === 'string' ? v : '';
}

function nonceOf(csp: string): string {
  const m = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp);
  assert.ok(m, `no nonce in ${csp}`);
  return m[1]!;
}

describe('security headers', () => {
  it('every page carries a strict CSP with a fresh nonce, used by its script tags, and no unsafe-inline', async () => {
    const { agent, slug } = await signUp(t.app);
    const anon = new Agent(t.app);
    const pages: [Agent, string][] = [
      [anon, '/'],
      [anon, '/login'],
      [anon, '/signup'],
      [anon, '/no-such-page'],
      [agent, `/o/${slug}`],
      [agent, `/o/${slug}/members`],
      [agent, `/o/${slug}/activity`],
      [agent, '/orgs'],
      [agent, '/orgs/new'],
      [agent, '/dev/mailbox'],
    ];
    const seen = new Set<string>();
    for (const [who, url] of pages) {
      const res = await who.get(url);
      const csp = cspOf(res);
      assert.ok(csp, `${url} has no CSP`);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, url);
      for (const d of [
        "script-src 'nonce-",
        "'strict-dynamic'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "style-src 'self';",
      ]) {
        assert.ok(csp.includes(d), `${url}: CSP lacks ${d}`);
      }
      const nonce = nonceOf(csp);
      assert.ok(!seen.has(nonce), `${url} reused a nonce`);
      seen.add(nonce);
      const scripts = [...res.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      assert.ok(scripts.length > 0, `${url} has no scripts`);
      for (const s of scripts) assert.ok(s.includes(`nonce="${nonce}"`), `${url}: ${s} lacks the nonce`);
      assert.doesNotMatch(res.body, /\sstyle="|\son[a-z]+="/i, `${url} has an inline style or handler`);
    }
  });

  it('sends nosniff, Referrer-Policy, Permissions-Policy, COOP and frame denial; no HSTS outside production', async () => {
    const res = await new Agent(t.app).get('/login');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'strict-origin-when-cross-origin');
    assert.match(String(res.headers['permissions-policy']), /camera=\(\)/);
    assert.equal(res.headers['cross-origin-opener-policy'], 'same-origin');
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['strict-transport-security'], undefined);
    assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  it('a POST without a CSRF token is refused with a page that says what happened', async () => {
    const { agent, slug } = await signUp(t.app);
    const res = await agent.post('/orgs/new', { name: 'Forged' }, { csrf: false });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /security token is missing or has expired/);
    const orgs = await agent.get('/orgs');
    assert.doesNotMatch(orgs.body, /Forged/);
    assert.ok(slug);
  });

  it('a POST with a token from another browser is refused', async () => {
    const a = new Agent(t.app);
    await a.get('/login');
    const b = new Agent(t.app);
    await b.get('/login');
    b.csrf = a.csrf;
    const res = await b.post('/login', { email: 'x@example.test', password: 'whatever' });
    assert.equal(res.statusCode, 403);
  });

  it('stores CSP violation reports in both formats', async () => {
    const legacy = await t.app.inject({
      method: 'POST',
      url: '/csp-report',
      headers: { 'content-type': 'application/csp-report' },
      payload: JSON.stringify({
        'csp-report': {
          'document-uri': 'http://localhost/x',
          'blocked-uri': 'inline',
          'violated-directive': 'script-src',
        },
      }),
    });
    assert.equal(legacy.statusCode, 204);
    const modern = await t.app.inject({
      method: 'POST',
      url: '/csp-report',
      headers: { 'content-type': 'application/reports+json' },
      payload: JSON.stringify([
        {
          type: 'csp-violation',
          body: {
            documentURL: 'http://localhost/y',
            blockedURL: 'https://evil.example/x.js',
            effectiveDirective: 'script-src-elem',
            disposition: 'enforce',
          },
        },
      ]),
    });
    assert.equal(modern.statusCode, 204);
    const rows = await t.owner
      .selectFrom('csp_reports')
      .select(['document_uri', 'blocked_uri', 'violated_directive'])
      .orderBy('id')
      .execute();
    assert.deepEqual(rows, [
      { document_uri: 'http://localhost/x', blocked_uri: 'inline', violated_directive: 'script-src' },
      {
        document_uri: 'http://localhost/y',
        blocked_uri: 'https://evil.example/x.js',
        violated_directive: 'script-src-elem',
      },
    ]);
  });

  it('refuses oversized and malformed reports without storing them', async () => {
    const before = await t.owner
      .selectFrom('csp_reports')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const big = await t.app.inject({
      method: 'POST',
      url: '/csp-report',
      headers: { 'content-type': 'application/csp-report' },
      payload: JSON.stringify({ 'csp-report': { 'document-uri': 'x'.repeat(40_000) } }),
    });
    assert.equal(big.statusCode, 413);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/csp-report',
      headers: { 'content-type': 'application/csp-report' },
      payload: '{not json',
    });
    assert.equal(bad.statusCode, 400);
    const afterCount = await t.owner
      .selectFrom('csp_reports')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(afterCount.n, before.n);
  });

  it('rate-limits the report endpoint per client', async () => {
    let limited = 0;
    for (let i = 0; i < 40; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/csp-report',
        remoteAddress: '10.99.0.1',
        headers: { 'content-type': 'application/csp-report' },
        payload: JSON.stringify({ 'csp-report': {} }),
      });
      if (res.statusCode === 429) limited++;
    }
    assert.ok(limited >= 10, `expected 429s after 30 reports, got ${limited}`);
  });
});

describe('report-only mode', () => {
  const ro = useTestApp({ CSP_REPORT_ONLY: 'true' });
  it('sends the same policy as Content-Security-Policy-Report-Only', async () => {
    const res = await new Agent(ro.app).get('/login');
    assert.equal(res.headers['content-security-policy'], undefined);
    const csp = String(res.headers['content-security-policy-report-only']);
    assert.match(csp, /script-src 'nonce-[^']+' 'strict-dynamic'/);
    assert.match(csp, /report-uri \/csp-report/);
  });
});

describe('production cookies and headers', () => {
  const prod = useTestApp(PRODUCTION_ENV);
  it('uses __Host- cookies that are Secure, HttpOnly and SameSite=Lax, and sends HSTS', async () => {
    const res = await prod.app.inject({
      method: 'GET',
      url: '/login',
      headers: { host: 'ledgerworks.example.com', accept: 'text/html' },
    });
    assert.equal(res.statusCode, 200);
    const setCookie = String(res.headers['set-cookie']);
    assert.match(setCookie, /^__Host-lw_csrf=/);
    assert.match(setCookie, /Secure/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    assert.match(String(res.headers['strict-transport-security']), /max-age=63072000/);
  });
  it('answers 400 to a Host that is not allowed', async () => {
    const res = await prod.app.inject({ method: 'GET', url: '/login', headers: { host: 'evil.example' } });
    assert.equal(res.statusCode, 400);
  });
  it('hides /metrics and /dev/mailbox from the public', async () => {
    const metrics = await prod.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { host: 'ledgerworks.example.com' },
    });
    assert.equal(metrics.statusCode, 404);
    const mailbox = await prod.app.inject({
      method: 'GET',
      url: '/dev/mailbox',
      headers: { host: 'ledgerworks.example.com' },
    });
    assert.equal(mailbox.statusCode, 404);
  });
});

describe('metrics in production', () => {
  const prod = useTestApp({ ...PRODUCTION_ENV, METRICS_TOKEN: 'scrape-token-0123456789abcdef' });
  it('answers only with the bearer token', async () => {
    const headers = { host: 'ledgerworks.example.com' };
    assert.equal(
      (
        await prod.app.inject({
          method: 'GET',
          url: '/metrics',
          headers: { ...headers, authorization: 'Bearer wrong' },
        })
      ).statusCode,
      404,
    );
    const ok = await prod.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { ...headers, authorization: 'Bearer scrape-token-0123456789abcdef' },
    });
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /ledgerworks_http_request_duration_seconds/);
  });
});
