import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { AddressInfo, Server } from 'node:net';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { Role } from '@app/domain';
import { DncService } from '../../../apps/crm-api/src/compliance/dnc.service';
import { LeadImportRollback } from '../../../apps/crm-api/src/imports/lead-import-rollback.service';
import { LeadImportRepository } from '../../../apps/crm-api/src/imports/lead-import.repository';
import { LeadWriter } from '../../../apps/crm-api/src/leads/lead-writer.service';
import { LeadService } from '../../../apps/crm-api/src/leads/lead.service';
import { CrmApiHarness, SignedIn } from '../../utils/crm-api-harness';
import { createCampaign, personFields, seedLeads } from '../../utils/crm-fixtures';

const run = promisify(execFile);

/** n valid, distinct UK mobile numbers in national format, in a range of their own. */
function mobiles(range: number, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `07${range}${String(i + 1).padStart(6, '0')}`);
}
const e164 = (national: string) => `+44${national.slice(1)}`;

describe('lead lists and CSV imports (manager)', () => {
  let h: CrmApiHarness;
  let manager: SignedIn;
  let outsider: SignedIn;
  let server: Server;

  beforeAll(async () => {
    h = await CrmApiHarness.start();
    manager = await h.signIn(await h.createUser(Role.Manager));
    outsider = await h.signIn(await h.createUser(Role.Manager));
    server = h.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await h.stop();
  });

  const auth = (s: SignedIn) => `Bearer ${s.accessToken}`;

  async function newList(defaultRegion = 'GB', overrides = {}): Promise<{ campaignId: string; listId: string }> {
    const campaignId = await createCampaign(h, manager, overrides);
    const res = await h.http().post(`/campaigns/${campaignId}/lists`).set('Authorization', auth(manager)).send({ name: 'Spring', defaultRegion });
    expect(res.status).toBe(201);
    return { campaignId, listId: res.body.id };
  }

  function upload(listId: string, body: string | Buffer, mapping?: Record<string, string>, session = manager) {
    const req = h.http().post(`/lists/${listId}/imports`).set('Authorization', auth(session)).set('Content-Type', 'text/csv');
    if (mapping) req.query({ mapping: JSON.stringify(mapping) });
    return req.send(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  }

  async function issues(importId: string): Promise<Array<{ line: number; kind: string; reason: string }>> {
    const res = await h.http().get(`/imports/${importId}/issues`).query({ limit: 1000 }).set('Authorization', auth(manager)).expect(200);
    return res.body;
  }

  async function importedFirstNames(importId: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await h.db.sql('SELECT id FROM leads WHERE import_id = ?', [importId]);
    const names: string[] = [];
    for (const r of rows) names.push((await h.app.get(LeadService).decrypt(r.id)).fields.firstName ?? '');
    return names.sort();
  }

  it('creates lists in a campaign the manager manages, and nowhere else', async () => {
    const { campaignId, listId } = await newList();
    const listed = await h.http().get(`/campaigns/${campaignId}/lists`).set('Authorization', auth(manager)).expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ id: listId, name: 'Spring', defaultRegion: 'GB' })]);
    await h.http().post(`/campaigns/${campaignId}/lists`).set('Authorization', auth(manager)).send({ name: 'x', defaultRegion: 'XX' }).expect(400);
    await h.http().post(`/campaigns/${campaignId}/lists`).set('Authorization', auth(outsider)).send({ name: 'x', defaultRegion: 'GB' }).expect(404);
    await h.http().get(`/campaigns/${campaignId}/lists`).set('Authorization', auth(outsider)).expect(404);
    await upload(listId, 'phone\n07400000001\n', undefined, outsider).expect(404);
    expect(await h.db.sql('SELECT id FROM lead_imports WHERE list_id = ?', [listId])).toHaveLength(0);
  });

  it('imports a CSV with a BOM, CRLF, a header mapping, consent and custom columns; numbers to E.164; time zones by rule', async () => {
    const { listId } = await newList('GB', { defaultTimezone: 'Europe/Berlin' });
    const csv =
      '\ufeffVorname,Nachname,Mobile,E-Mail,Zone,Consent_Basis,consent_source,consent_at,consent_evidence,Tier\r\n' +
      'Ada,Lovelace,07401 000 001,ada@example.org,,consent,web form,2025-01-02T03:04:05Z,ev-1,gold\r\n' +
      'Émile,Zola,+33 6 12 34 56 78,,,,,,,\r\n' +
      'Grace,Hopper,+1 201 555 0123,,,,,,,silver\r\n' +
      'Alan,Turing,07401000002,,America/New_York,,,,,\r\n' +
      'Free,Phone,+80012345678,,,,,,,\r\n';
    const res = await upload(listId, csv, { vorname: 'first_name', nachname: 'last_name', mobile: 'phone', 'e-mail': 'email', zone: 'timezone' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'completed', rowsDone: 5, accepted: 5, rejected: 0, duplicates: 0, dncExcluded: 0 });
    expect(res.body.bytesDone).toBe(Buffer.byteLength(csv));
    expect(res.body.bytesTotal).toBe(Buffer.byteLength(csv));

    const leads: Array<{ id: string; timezone: string; phone_region: string | null; consent_basis: string | null; consent_at: Date | null }> =
      await h.db.sql('SELECT id, timezone, phone_region, consent_basis, consent_at FROM leads WHERE import_id = ?', [res.body.id]);
    const byName = new Map<string, (typeof leads)[number] & { fields: Awaited<ReturnType<LeadService['decrypt']>>['fields'] }>();
    for (const lead of leads) {
      const { fields } = await h.app.get(LeadService).decrypt(lead.id);
      byName.set(fields.firstName ?? '', { ...lead, fields });
    }
    const ada = byName.get('Ada')!;
    expect(ada.fields).toMatchObject({ lastName: 'Lovelace', phone: '+447401000001', email: 'ada@example.org', custom: { Tier: 'gold' } });
    expect(ada.timezone).toBe('Europe/London');
    expect(ada.consent_basis).toBe('consent');
    expect(ada.consent_at?.toISOString()).toBe('2025-01-02T03:04:05.000Z');
    expect(byName.get('Émile')!.fields.phone).toBe('+33612345678');
    expect(byName.get('Émile')!.timezone).toBe('Europe/Paris');
    // A country of many zones: all of them (the dialer calls when the window is open in every one).
    expect(byName.get('Grace')!.timezone.split(',')).toEqual(expect.arrayContaining(['America/New_York', 'America/Los_Angeles']));
    expect(byName.get('Alan')!.timezone).toBe('America/New_York');
    // No country for the number: the campaign's default.
    expect(byName.get('Free')!.timezone).toBe('Europe/Berlin');

    const audit = await h.auditRows("action = 'lead.import' AND target_id = ?", [res.body.id]);
    expect(audit.map((a) => JSON.parse(String(a.details)).phase)).toEqual(['start', 'finish']);
    expect(JSON.stringify(audit)).not.toMatch(/Lovelace|7401000001|ada@/);
  });

  it('reports duplicates (within the file and against existing leads) and leaves out do-not-call numbers', async () => {
    const { campaignId, listId } = await newList();
    const [existing, dnc, fresh, other] = mobiles(402, 4);
    await seedLeads(h, campaignId, [personFields({ phone: e164(existing) })]);
    await h.app.get(DncService).add(e164(dnc), campaignId, 'manual', null);
    const csv = ['first_name,phone', `A,${existing}`, `B,${dnc}`, `C,${fresh}`, `D,${e164(fresh)}`, `E,${other}`].join('\n');
    const res = await upload(listId, csv).expect(201);
    expect(res.body).toMatchObject({ accepted: 2, rejected: 0, duplicates: 2, duplicatesInFile: 1, duplicatesExisting: 1, dncExcluded: 1, rowsDone: 5 });
    expect(await issues(res.body.id)).toEqual([
      { line: 2, kind: 'duplicate', reason: 'the number is already a lead of this campaign' },
      { line: 3, kind: 'dnc', reason: 'the number is on a do-not-call list' },
      { line: 5, kind: 'duplicate', reason: 'the number repeats an earlier row of this file' },
    ]);
    expect(await importedFirstNames(res.body.id)).toEqual(['C', 'E']);
    const progress = await h.http().get(`/imports/${res.body.id}`).set('Authorization', auth(manager)).expect(200);
    expect(progress.body).toMatchObject({ status: 'completed', rowsDone: 5, bytesDone: Buffer.byteLength(csv), dncExcluded: 1 });
    await h.http().get(`/imports/${res.body.id}`).set('Authorization', auth(outsider)).expect(404);
    await h.http().get(`/imports/${res.body.id}/issues`).set('Authorization', auth(outsider)).expect(404);
  });

  it('reports every bad row of a malformed CSV by line and keeps every good row', async () => {
    const { listId } = await newList();
    const ok = mobiles(403, 12);
    const lines = [
      'first_name,last_name,phone,email,timezone', // 1
      `Good1,X,${ok[0]},,`, // 2
      `Bad"quote,X,${ok[1]},,`, // 3: quote inside an unquoted field
      `"Closed"late,X,${ok[2]},,`, // 4: text after a closing quote
      `Good2,X,${ok[3]},,`, // 5
      `TooFew,${ok[4]}`, // 6: wrong column count
      `TooMany,X,${ok[5]},,,extra`, // 7
      'BadNumber,X,12345,,', // 8
      'NoNumber,X,,,', // 9
      `BadMail,X,${ok[6]},not-an-address,`, // 10
      `BadZone,X,${ok[7]},,Mars/Olympus`, // 11
      `"Huge ${'h'.repeat(70_000)}",X,${ok[8]},,`, // 12: a field over the 64 KiB row limit
      `Good3,X,${ok[9]},,`, // 13
      '', // 14: blank, skipped
      `"Multi\nline",X,${ok[10]},,`, // 15-16: a quoted line break is fine
    ];
    const invalidUtf8 = Buffer.concat([Buffer.from('Bad'), Buffer.from([0xc3, 0x28]), Buffer.from(`,X,${ok[11]},,\n`)]); // 17
    const tail = `Good4,X,${e164(mobiles(403, 14)[13])},,\n"Unclosed,X,${mobiles(403, 15)[14]},,\nGood5,X,${mobiles(403, 16)[15]},,\n`; // 18, 19, 20
    const body = Buffer.concat([Buffer.from(lines.join('\n') + '\n'), invalidUtf8, Buffer.from(tail)]);
    const res = await upload(listId, body).expect(201);

    const reported = await issues(res.body.id);
    expect(reported.map((i) => [i.line, i.kind])).toEqual([
      [3, 'rejected'],
      [4, 'rejected'],
      [6, 'rejected'],
      [7, 'rejected'],
      [8, 'rejected'],
      [9, 'rejected'],
      [10, 'rejected'],
      [11, 'rejected'],
      [12, 'rejected'],
      [17, 'rejected'],
      [19, 'rejected'],
    ]);
    const reasons = new Map(reported.map((i) => [i.line, i.reason]));
    expect(reasons.get(3)).toMatch(/bad quoting/);
    expect(reasons.get(6)).toBe('wrong number of columns: 2, the header has 5');
    expect(reasons.get(8)).toBe('column phone: not a valid number for region GB');
    expect(reasons.get(9)).toBe('column phone: empty');
    expect(reasons.get(10)).toBe('column email: not an e-mail address');
    expect(reasons.get(11)).toBe('column timezone: not a known IANA time zone');
    expect(reasons.get(12)).toMatch(/row longer than 65536 bytes/);
    expect(reasons.get(17)).toBe('column first_name: not valid UTF-8');
    expect(reasons.get(19)).toMatch(/quote is never closed/);
    expect(JSON.stringify(reported)).not.toMatch(/Bad|Olympus|not-an-address|12345|hhhh/);

    expect(res.body).toMatchObject({ status: 'completed', rowsDone: 17, accepted: 6, rejected: 11, duplicates: 0 });
    expect(await importedFirstNames(res.body.id)).toEqual(['Good1', 'Good2', 'Good3', 'Good4', 'Good5', 'Multi\nline'].sort());
  });

  it('fails an empty file, or one without a phone column, with a reason and nothing written', async () => {
    const { listId } = await newList();
    const empty = await upload(listId, '').expect(201);
    expect(empty.body).toMatchObject({ status: 'failed', error: 'the file is empty: no header row', accepted: 0 });
    const bomOnly = await upload(listId, '\ufeff').expect(201);
    expect(bomOnly.body).toMatchObject({ status: 'failed', error: 'the file is empty: no header row' });
    const noPhone = await upload(listId, 'name,email\nAda,ada@example.org\n').expect(201);
    expect(noPhone.body).toMatchObject({ status: 'failed', error: 'the header row cannot be used: no column maps to phone' });
    const headerOnly = await upload(listId, 'phone\n').expect(201);
    expect(headerOnly.body).toMatchObject({ status: 'completed', rowsDone: 0, accepted: 0 });
    await upload(listId, 'phone\n07400000001\n', { phone: 'nonsense' }).expect(400);
    await h.http().post(`/lists/${listId}/imports`).set('Authorization', auth(manager)).send({ phone: '07400000001' }).expect(415);
  });

  it('stores no imported value in plaintext: a mysqldump contains none of the markers', async () => {
    const { listId } = await newList();
    const [phone] = mobiles(404, 1);
    const markers = {
      first_name: 'Zqxfirstmarker',
      last_name: 'Zqxlastmarker',
      email: 'zqx.mail.marker@example.org',
      address: 'Zqx Marker Street 77',
      national_id: 'ZQXNID998877',
      notes: 'zqx notes marker',
      loyalty: 'zqxcustommarker',
    };
    const csv =
      'first_name,last_name,phone,email,address,national_id,notes,loyalty\n' +
      `${markers.first_name},${markers.last_name},${phone},${markers.email},"${markers.address}",${markers.national_id},${markers.notes},${markers.loyalty}\n`;
    const res = await upload(listId, csv).expect(201);
    expect(res.body.accepted).toBe(1);
    const { stdout } = await run('/usr/bin/mysqldump', ['-h127.0.0.1', '-uroot', h.db.name], { maxBuffer: 256 * 1024 * 1024, encoding: 'latin1' });
    expect(stdout).toContain('INSERT INTO `leads`');
    const digits = phone.slice(1);
    for (const value of [...Object.values(markers), digits, `44${digits}`]) {
      expect({ value, found: stdout.includes(value) }).toEqual({ value, found: false });
    }
  });

  it('rolls back an upload interrupted mid-way: no lead, no person it created, an audit record', async () => {
    const { listId } = await newList();
    const numbers = mobiles(405, 1500);
    const subjectsBefore = await count('SELECT COUNT(*) AS n FROM data_subjects');
    const { port } = server.address() as AddressInfo;
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: `/lists/${listId}/imports`,
      headers: { Authorization: auth(manager), 'Content-Type': 'text/csv', 'Content-Length': String(10 * 1024 * 1024) },
    });
    req.on('error', () => undefined);
    req.write(`first_name,phone\n${numbers.map((n, i) => `P${i},${n}`).join('\n')}\n`);
    const importId = await eventually(async () => {
      const rows: Array<{ id: string; rows_done: number }> = await h.db.sql('SELECT id, rows_done FROM lead_imports WHERE list_id = ?', [listId]);
      return rows[0] && Number(rows[0].rows_done) >= 500 ? rows[0].id : null;
    });
    // Progress is visible while it runs.
    const during = await h.http().get(`/imports/${importId}`).set('Authorization', auth(manager)).expect(200);
    expect(during.body.status).toBe('running');
    expect(during.body.rowsDone).toBeGreaterThanOrEqual(500);
    expect(during.body.bytesTotal).toBe(10 * 1024 * 1024);
    expect(await count('SELECT COUNT(*) AS n FROM leads WHERE import_id = ?', [importId])).toBeGreaterThan(0);
    req.destroy();

    await eventually(async () => ((await statusOf(importId)) === 'rolled_back' ? true : null));
    expect(await count('SELECT COUNT(*) AS n FROM leads WHERE import_id = ?', [importId])).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM data_subjects')).toBe(subjectsBefore);
    const report = await h.http().get(`/imports/${importId}`).set('Authorization', auth(manager)).expect(200);
    expect(report.body).toMatchObject({ status: 'rolled_back', error: 'the upload was interrupted before its end' });
    const audit = await h.auditRows("action = 'lead.import.rollback' AND target_id = ?", [importId]);
    expect(audit).toHaveLength(1);
    expect(JSON.parse(String(audit[0].details))).toMatchObject({ cause: 'interrupted' });
  });

  it('rolls back, once, an import left running by an instance that died; a live one is left alone', async () => {
    const { campaignId, listId } = await newList();
    const imports = h.app.get(LeadImportRepository);
    const dead = randomUUID();
    const live = randomUUID();
    await imports.create({ id: dead, listId, campaignId, bytesTotal: null, createdBy: null });
    await imports.create({ id: live, listId, campaignId, bytesTotal: null, createdBy: null });
    const people = mobiles(406, 6).map((n) => personFields({ phone: e164(n) }));
    const otherCampaign = await createCampaign(h, manager);
    // One of the people is already known elsewhere: their data key must survive the rollback.
    await seedLeads(h, otherCampaign, [people[0]]);
    const inputs = people.map((fields) => ({ fields, phoneRegion: 'GB', timezones: ['Europe/London'], consent: null }));
    await h.app.get(LeadWriter).writeBatch(campaignId, listId, dead, inputs.slice(0, 4));
    await h.app.get(LeadWriter).writeBatch(campaignId, listId, live, inputs.slice(4));
    await h.db.sql('UPDATE lead_imports SET heartbeat_at = heartbeat_at - INTERVAL 3 MINUTE WHERE id = ?', [dead]);
    const subjectsBefore = await count('SELECT COUNT(*) AS n FROM data_subjects');

    const rollback = h.app.get(LeadImportRollback);
    const taken = await Promise.all([rollback.reapStale(), rollback.reapStale()]);
    expect(taken[0] + taken[1]).toBe(1);
    expect(await statusOf(dead)).toBe('rolled_back');
    expect(await statusOf(live)).toBe('running');
    expect(await count('SELECT COUNT(*) AS n FROM leads WHERE import_id = ?', [dead])).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM leads WHERE import_id = ?', [live])).toBe(2);
    expect(await count('SELECT COUNT(*) AS n FROM data_subjects')).toBe(subjectsBefore - 3);
    expect(await rollback.reapStale()).toBe(0);
    expect(await h.auditRows("action = 'lead.import.rollback' AND target_id = ?", [dead])).toHaveLength(1);
  });

  it('an import taken over by another instance mid-way stops and leaves nothing behind', async () => {
    const { listId } = await newList();
    const numbers = mobiles(407, 1500);
    const first = Buffer.from(`first_name,phone\n${numbers.slice(0, 1000).map((n, i) => `P${i},${n}`).join('\n')}\n`);
    const rest = Buffer.from(`${numbers.slice(1000).map((n, i) => `Q${i},${n}`).join('\n')}\n`);
    const { port } = server.address() as AddressInfo;
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: `/lists/${listId}/imports`,
      headers: { Authorization: auth(manager), 'Content-Type': 'text/csv', 'Content-Length': String(first.length + rest.length) },
    });
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
    });
    req.write(first);
    const importId = await eventually(async () => {
      const rows: Array<{ id: string; rows_done: number }> = await h.db.sql('SELECT id, rows_done FROM lead_imports WHERE list_id = ?', [listId]);
      return rows[0] && Number(rows[0].rows_done) >= 500 ? rows[0].id : null;
    });
    // Another instance believes this one died, and rolls the import back under it.
    await h.db.sql('UPDATE lead_imports SET heartbeat_at = heartbeat_at - INTERVAL 3 MINUTE WHERE id = ?', [importId]);
    expect(await h.app.get(LeadImportRollback).reapStale()).toBe(1);
    req.end(rest);

    const res = await answer;
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).message).toContain('rolled back');
    expect(await statusOf(importId)).toBe('rolled_back');
    expect(await count('SELECT COUNT(*) AS n FROM leads WHERE import_id = ?', [importId])).toBe(0);
  });

  async function count(sql: string, params: unknown[] = []): Promise<number> {
    const rows: Array<{ n: number | string }> = await h.db.sql(sql, params);
    return Number(rows[0].n);
  }

  async function statusOf(importId: string): Promise<string> {
    const rows: Array<{ status: string }> = await h.db.sql('SELECT status FROM lead_imports WHERE id = ?', [importId]);
    return rows[0]?.status;
  }
});

/** Polls until the check gives a value (the import runs on the server's own schedule). */
async function eventually<T>(check: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
