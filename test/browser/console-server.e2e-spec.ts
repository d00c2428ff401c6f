import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { listRoutes } from '../utils/route-listing';
import { ensureConsoleBuilt, startConsole } from './browser-harness';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The console server without a browser: its routes, its headers, and the proxy against a recording upstream. */
describe('console server: pages, headers and the same-origin proxy', () => {
  let upstream: Server;
  let seen: Seen[];
  let consoleApp: INestApplication;
  let url: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    seen = [];
    upstream = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.setHeader('Content-Type', 'application/json');
        res.setHeader('Set-Cookie', 'tracking=1');
        res.setHeader('X-Upstream', 'yes');
        res.statusCode = req.url === '/missing' ? 404 : 201;
        res.end(JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    ({ app: consoleApp, url } = await startConsole({ crm: base, recording: 'http://127.0.0.1:9' }));
  }, 240_000);
  afterAll(async () => {
    await consoleApp?.close();
    await new Promise((resolve) => upstream.close(resolve));
  });

  it('declares every route of its own as open, with the reason', () => {
    const routes = listRoutes(consoleApp).map((r) => `${r.route} ${r.access}`);
    expect(routes).toEqual([
      'ALL /api/crm/*path open: same-origin reverse proxy: the app behind it authenticates and authorises every request',
      'ALL /api/dialer/*path open: same-origin reverse proxy: the app behind it authenticates and authorises every request',
      'ALL /api/recording/*path open: same-origin reverse proxy: the app behind it authenticates and authorises every request',
      'GET /health/live open: liveness probe; says nothing but "up"',
      'GET /health/ready open: readiness probe for load balancers; names no internals',
    ]);
  });

  it('forwards method, path, query, body and the bearer; drops cookies and hop-by-hop headers; names the client address', async () => {
    const res = await fetch(`${url}/api/crm/campaigns/abc?x=1&y=two`, {
      method: 'POST',
      headers: { Authorization: 'Bearer t0ken', 'Content-Type': 'text/csv', Cookie: 'a=b', 'X-Forwarded-For': '203.0.113.9' },
      body: 'phone\n07400000001\n',
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get('x-upstream')).toBe('yes');
    expect(res.headers.get('set-cookie')).toBeNull();
    const got = seen.at(-1)!;
    expect(got).toMatchObject({ method: 'POST', url: '/campaigns/abc?x=1&y=two', body: 'phone\n07400000001\n' });
    expect(got.headers.authorization).toBe('Bearer t0ken');
    expect(got.headers['content-type']).toBe('text/csv');
    expect(got.headers.cookie).toBeUndefined();
    // The console believes X-Forwarded-For only from its own TRUST_PROXY (loopback in tests).
    expect(got.headers['x-forwarded-for']).toBe('203.0.113.9');
    expect(got.headers['x-request-id']).toBe(res.headers.get('x-request-id'));
  });

  it('passes the app’s error answers through, and answers 502 when an app is down', async () => {
    expect((await fetch(`${url}/api/crm/missing`)).status).toBe(404);
    const down = await fetch(`${url}/api/recording/recordings`);
    expect(down.status).toBe(502);
    expect(await down.json()).toMatchObject({ statusCode: 502, error: 'bad_gateway' });
  });

  it('serves the page with a strict policy, hashed assets as immutable, and nothing else', async () => {
    const page = await fetch(url);
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;media-src 'self';connect-src 'self';font-src 'self';object-src 'none';base-uri 'none';form-action 'self';frame-ancestors 'none'",
    );
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    const asset = await fetch(`${url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${url}/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${url}/etc/passwd`)).status).toBe(404);
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
  });
});
