import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { AuthConfig, TokenService } from '@app/auth';
import { Secret } from '@app/config';
import { Role, ServiceName } from '@app/domain';
import { DncService } from '../../../crm-api/src/compliance/dnc.service';
import { CrmApiHarness } from '../../../../test/utils/crm-api-harness';
import { createCampaign, personFields, seedLeads } from '../../../../test/utils/crm-fixtures';
import { createTestPki, TestPki } from '../../../../test/utils/test-pki';
import { CrmRefusedError, CrmUnavailableError, HttpCrmClient } from './crm.client';

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('HttpCrmClient against a real crm-api', () => {
  let h: CrmApiHarness;
  let client: HttpCrmClient;
  let base: string;
  let campaignId: string;
  let managerId: string;

  beforeAll(async () => {
    h = await CrmApiHarness.start();
    await h.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(h.app.getHttpServer().address() as AddressInfo).port}`;
    client = new HttpCrmClient({ baseUrl: base }, new TokenService(h.config.auth));
    const manager = await h.createUser(Role.Manager);
    managerId = manager.id;
    campaignId = await createCampaign(h, await h.signIn(manager));
  });
  afterAll(async () => {
    await h.stop();
  });

  const reserved = async () => {
    const fields = personFields();
    const [leadId] = await seedLeads(h, campaignId, [fields]);
    await h.db.sql(`UPDATE leads SET status = 'reserved', reserved_by = 'dialer-client', reserved_at = NOW(3) WHERE id = ?`, [leadId]);
    return { leadId, phone: fields.phone };
  };

  it('gets the number of a held lead, and the reason when it may not be dialled', async () => {
    const { leadId, phone } = await reserved();
    expect(await client.dialTarget(leadId, campaignId, randomUUID())).toEqual({ allowed: true, number: phone });
    await h.app.get(DncService).add(phone, null, 'manual', managerId, null);
    expect(await client.dialTarget(leadId, campaignId, randomUUID())).toEqual({ allowed: false, reason: 'dnc' });
    expect(await client.dialTarget(randomUUID(), campaignId, randomUUID())).toEqual({ allowed: false, reason: 'not_found' });
  });

  it('sends a call record (a resend is the same record); a record the CRM refuses throws CrmRefusedError', async () => {
    const { leadId } = await reserved();
    const cdr = {
      callId: randomUUID(),
      leadId,
      campaignId,
      agentId: null,
      startedAt: new Date('2026-11-23T15:00:00.000Z'),
      ringAt: new Date('2026-11-23T15:00:01.000Z'),
      answeredAt: null,
      bridgedAt: null,
      endedAt: new Date('2026-11-23T15:00:31.000Z'),
      outcome: 'no_answer' as const,
      sipStatus: 480,
      trunk: 'trunk-a',
      recordingId: null,
    };
    await client.sendCallRecord(cdr);
    await client.sendCallRecord(cdr);
    expect(await h.db.sql('SELECT outcome, sip_status, trunk FROM call_records WHERE call_id = ?', [cdr.callId])).toEqual([
      { outcome: 'no_answer', sip_status: 480, trunk: 'trunk-a' },
    ]);
    // The same call id with another start time is another call: 409, a refusal.
    await expect(client.sendCallRecord({ ...cdr, startedAt: new Date('2026-11-23T16:00:00.000Z') })).rejects.toBeInstanceOf(CrmRefusedError);
    // A lead of no such campaign: 400.
    await expect(client.sendCallRecord({ ...cdr, callId: randomUUID(), campaignId: randomUUID() })).rejects.toMatchObject({ status: 400 });
  });

  it('treats a token the CRM does not accept as the CRM being unavailable, not as the record being wrong', async () => {
    const { leadId } = await reserved();
    const stranger: AuthConfig = { ...h.config.auth, serviceTokenSecret: new Secret('s'.repeat(44)) };
    const wrong = new HttpCrmClient({ baseUrl: base }, new TokenService(stranger));
    await expect(wrong.dialTarget(leadId, campaignId, randomUUID())).rejects.toMatchObject({ name: 'CrmUnavailableError', status: 401 });
  });

  it('reports an unreachable CRM without quoting the number or the address', async () => {
    const server = createHttpServer();
    const address = await listen(server);
    await close(server);
    const down = new HttpCrmClient({ baseUrl: `http://${address}` }, new TokenService(h.config.auth));
    const { leadId } = await reserved();
    const error = await down.dialTarget(leadId, campaignId, randomUUID()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrmUnavailableError);
    expect((error as Error).message).toBe('the CRM could not be reached (ECONNREFUSED)');
  });
});

describe('HttpCrmClient transport', () => {
  let dir: string;
  let pki: TestPki;
  const tokens = new TokenService({
    jwtSecret: new Secret('j'.repeat(44)),
    serviceTokenSecret: new Secret('k'.repeat(44)),
    accessTokenTtlSeconds: 600,
    reauthWindowSeconds: 300,
  });
  /** A stand-in CRM answering one fixed reply, keeping what it was sent. */
  const answering = (status: number, body: unknown, seen: Array<{ auth?: string; body: string }> = []) => {
    return (req: IncomingMessage, res: ServerResponse) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString('utf8')));
      req.on('end', () => {
        seen.push({ auth: req.headers.authorization, body: text });
        res.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));
      });
    };
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-client-'));
    pki = createTestPki(dir);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('speaks TLS to a CRM whose certificate the configured CA signed, with a dialer→crm-api service token', async () => {
    const seen: Array<{ auth?: string; body: string }> = [];
    const server = createHttpsServer(
      { cert: readFileSync(pki.certFile), key: readFileSync(pki.keyFile) },
      answering(200, { allowed: true, number: '+447700900123' }, seen),
    );
    const address = await listen(server);
    try {
      const trusting = new HttpCrmClient({ baseUrl: `https://${address}`, tlsCaFile: pki.caFile }, tokens);
      expect(await trusting.dialTarget(randomUUID(), randomUUID(), 'call-1')).toEqual({ allowed: true, number: '+447700900123' });
      const claims = new JwtService({ secret: 'k'.repeat(44) }).verify<Record<string, unknown>>(seen[0].auth!.replace(/^Bearer /, ''), {
        audience: ServiceName.CrmApi,
      });
      expect(claims).toMatchObject({ typ: 'service', sub: ServiceName.Dialer });
      expect(JSON.parse(seen[0].body)).toEqual({ leadId: expect.any(String), campaignId: expect.any(String), callId: 'call-1' });

      const untrusting = new HttpCrmClient({ baseUrl: `https://${address}` }, tokens);
      await expect(untrusting.dialTarget(randomUUID(), randomUUID(), 'call-2')).rejects.toBeInstanceOf(CrmUnavailableError);
    } finally {
      await close(server);
    }
  });

  it('refuses an answer it does not understand (a malformed number is never dialled)', async () => {
    for (const reply of [{ allowed: true, number: '07700 900123' }, { allowed: false, reason: 'whim' }, 'not json']) {
      const server = createHttpServer(answering(200, reply));
      const address = await listen(server);
      try {
        const error = await new HttpCrmClient({ baseUrl: `http://${address}` }, tokens).dialTarget(randomUUID(), randomUUID(), 'c').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CrmUnavailableError);
        expect((error as Error).message).not.toContain('7700');
      } finally {
        await close(server);
      }
    }
  });

  it('gives up on a CRM that does not answer in time', async () => {
    const server = createHttpServer(() => undefined);
    const address = await listen(server);
    try {
      const slow = new HttpCrmClient({ baseUrl: `http://${address}`, timeoutMs: 200 }, tokens);
      await expect(slow.dialTarget(randomUUID(), randomUUID(), 'c')).rejects.toThrow('the CRM did not answer in time');
    } finally {
      server.closeAllConnections();
      await close(server);
    }
  });
});
