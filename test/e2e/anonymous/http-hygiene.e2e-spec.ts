import { CrmApiHarness } from '../../utils/crm-api-harness';

describe('HTTP hygiene (any caller)', () => {
  let h: CrmApiHarness;

  beforeAll(async () => {
    h = await CrmApiHarness.start();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('sends strict security headers with a CSP that allows nothing', async () => {
    const res = await h.http().get('/health/live').expect(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['strict-transport-security']).toContain('max-age=31536000');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
  });

  it('answers health probes', async () => {
    await h.http().get('/health/live').expect(200, { status: 'up' });
    await h.http().get('/health/ready').expect(200, { status: 'ready' });
  });

  it('refuses bodies that are not JSON with 415', async () => {
    const res = await h.http().post('/auth/login').set('Content-Type', 'text/plain').send('username=a&password=b').expect(415);
    expect(res.body).toMatchObject({ statusCode: 415, error: 'unsupported_media_type' });
    await h.http().post('/auth/login').set('Content-Type', 'application/x-www-form-urlencoded').send('username=a').expect(415);
  });

  it('answers malformed JSON and oversized bodies with a clean error, never a stack', async () => {
    const bad = await h.http().post('/auth/login').set('Content-Type', 'application/json').send('{"username": ').expect(400);
    expect(bad.body).toMatchObject({ statusCode: 400, message: 'Malformed request body', requestId: expect.any(String) });
    const leaky = await h.http().post('/auth/login').set('Content-Type', 'application/json').send('{"username": John Smith +15551234567}').expect(400);
    expect(JSON.stringify(leaky.body)).not.toMatch(/John|5551234567/);
    expect(JSON.stringify(bad.body)).not.toMatch(/at \w+ \(|node_modules|\.ts:/);
    const huge = await h.http().post('/auth/login').set('Content-Type', 'application/json').send(JSON.stringify({ username: 'x'.repeat(2_000_000) }));
    expect(huge.status).toBe(413);
  });

  it('has one error shape with the request id, echoing a caller-supplied id', async () => {
    const res = await h.http().get('/no/such/route').set('X-Request-Id', 'trace-abc-123456').expect(404);
    expect(res.body).toEqual({ statusCode: 404, error: expect.any(String), message: expect.any(String), requestId: 'trace-abc-123456' });
    expect(res.headers['x-request-id']).toBe('trace-abc-123456');
    const odd = await h.http().get('/no/such/route').set('X-Request-Id', '<script>').expect(404);
    expect(odd.body.requestId).not.toBe('<script>');
  });

  it('validates with field errors and refuses unknown fields', async () => {
    const res = await h.http().post('/auth/login').send({ username: '', password: 'x', extra: 1 }).expect(400);
    expect(res.body.error).toBe('invalid_input');
    expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['extra', 'username']);
  });

  it('serves an OpenAPI document that shows each operation’s permission', async () => {
    const res = await h.http().get('/docs/openapi.json').expect(200);
    const paths = res.body.paths as Record<string, Record<string, Record<string, unknown>>>;
    expect(paths['/admin/users'].get['x-permission']).toBe('users:read');
    expect(paths['/admin/users/{id}/mfa-reset'].post['x-reauth-required']).toBe(true);
    expect(paths['/auth/login'].post['x-permission']).toBe('open');
    for (const [path, ops] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect({ op: `${method} ${path}`, declared: op['x-permission'] !== undefined }).toEqual({ op: `${method} ${path}`, declared: true });
      }
    }
    const page = await h.http().get('/docs').expect(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('rate-limits sign-in routes per source address (429), other addresses unaffected', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) {
      const res = await h.http().post('/auth/refresh').set('X-Forwarded-For', '100.64.0.1').send({ refreshToken: 'x'.repeat(40) });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    await h.http().post('/auth/refresh').set('X-Forwarded-For', '100.64.0.2').send({ refreshToken: 'x'.repeat(40) }).expect(401);
  });
});
