import { randomUUID } from 'node:crypto';
import { CryptoIntegrityError } from '@app/crypto';
import { Role } from '@app/domain';
import { UserPrincipal } from '@app/auth';
import { ComplianceService } from '../../../apps/crm-api/src/compliance/compliance.service';
import { DncService } from '../../../apps/crm-api/src/compliance/dnc.service';
import { CrmException } from '../../../apps/crm-api/src/crm.exception';
import { LeadCipher, SubjectKeyDestroyedError } from '../../../apps/crm-api/src/leads/lead-cipher.service';
import { LeadRepository } from '../../../apps/crm-api/src/leads/lead.repository';
import { LeadService } from '../../../apps/crm-api/src/leads/lead.service';
import { EncryptedFields, FIELD_COLUMNS, LeadPersonalFields, PERSONAL_FIELDS } from '../../../apps/crm-api/src/leads/lead.types';
import { SubjectRepository } from '../../../apps/crm-api/src/leads/subject.repository';
import { NoteService } from '../../../apps/crm-api/src/work/note.service';
import { CrmApiHarness, SignedIn, TestUser } from '../../utils/crm-api-harness';
import { createCampaign, personFields, seedLeads } from '../../utils/crm-fixtures';

type Row = Record<string, unknown>;

describe('data-subject requests (admin)', () => {
  let h: CrmApiHarness;
  let admin: TestUser;
  let adminSession: SignedIn;
  let manager: TestUser;
  let managerSession: SignedIn;
  let campaignA: string;
  let campaignB: string;
  const as = (s: SignedIn) => `Bearer ${s.accessToken}`;
  const post = (path: string, body: object) => h.http().post(path).set('Authorization', as(adminSession)).send(body);
  const subjectOf = async (leadId: string) =>
    (await h.db.sql<Array<{ subject_id: string }>>('SELECT subject_id FROM leads WHERE id = ?', [leadId]))[0].subject_id;
  const notFound = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(CrmException);
    expect((error as CrmException).code).toBe('not_found');
  };
  const agentPrincipal = (userId: string): UserPrincipal => ({ kind: 'user', userId, role: Role.Agent, sessionId: randomUUID(), reauthAt: null });
  const noPersonalData = (rows: Row[], person: LeadPersonalFields) => {
    const text = JSON.stringify(rows);
    for (const value of [person.phone.slice(1), person.phone.slice(-9), person.email!, person.firstName!, person.lastName!]) {
      expect(text).not.toContain(value);
    }
  };

  beforeAll(async () => {
    h = await CrmApiHarness.start();
    admin = await h.createUser(Role.Admin);
    adminSession = await h.signIn(admin);
    manager = await h.createUser(Role.Manager);
    managerSession = await h.signIn(manager);
    campaignA = await createCampaign(h, managerSession);
    campaignB = await createCampaign(h, managerSession);
  });
  beforeEach(async () => {
    await h.reauth(admin, adminSession);
  });
  afterAll(async () => {
    await h.stop();
  });

  it('gives admins no lead card, and every privacy route needs a fresh re-authentication', async () => {
    const [leadId] = await seedLeads(h, campaignA, [personFields()]);
    await h.http().get(`/leads/${leadId}`).set('Authorization', as(adminSession)).expect(403);
    await h.http().post('/privacy/search').set('Authorization', as(managerSession)).send({ email: 'a@example.org' }).expect(403);

    await h.db.sql('UPDATE sessions SET reauth_at = UTC_TIMESTAMP(3) - INTERVAL 10 MINUTE WHERE id = ?', [adminSession.sessionId]);
    const requests: Array<[string, string]> = [
      ['post', '/privacy/search'],
      ['post', '/privacy/requests'],
      ['get', '/privacy/requests'],
      ['get', `/privacy/requests/${randomUUID()}`],
    ];
    for (const [method, path] of requests) {
      const req = method === 'post' ? h.http().post(path).send({}) : h.http().get(path);
      const res = await req.set('Authorization', as(adminSession));
      expect([path, res.status, res.body.error]).toEqual([path, 403, 'reauth_required']);
    }
  });

  it('finds a person by phone number or by e-mail, answering with ids only', async () => {
    const person = personFields();
    const [a] = await seedLeads(h, campaignA, [person]);
    const [b] = await seedLeads(h, campaignB, [person]);
    const subjectId = await subjectOf(a);

    const byPhone = await post('/privacy/search', { phone: `0${person.phone.slice(3)}`, region: 'GB' }).expect(200);
    expect(byPhone.body).toEqual([
      {
        subjectId,
        matchedBy: ['phone'],
        leads: expect.arrayContaining([
          { id: a, campaignId: campaignA, status: 'new' },
          { id: b, campaignId: campaignB, status: 'new' },
        ]),
      },
    ]);
    expect(byPhone.body[0].leads).toHaveLength(2);
    const byEmail = await post('/privacy/search', { email: person.email!.toUpperCase() }).expect(200);
    expect(byEmail.body).toEqual([expect.objectContaining({ subjectId, matchedBy: ['email'] })]);
    const both = await post('/privacy/search', { phone: person.phone, email: person.email }).expect(200);
    expect(both.body).toEqual([expect.objectContaining({ subjectId, matchedBy: ['email', 'phone'] })]);
    expect((await post('/privacy/search', { email: 'nobody@example.org' }).expect(200)).body).toEqual([]);
    await post('/privacy/search', {}).expect(400);

    noPersonalData([byPhone.body, byEmail.body], person);
    const audit = await h.auditRows("action = 'privacy.search' AND actor_id = ?", [admin.id]);
    expect(audit.length).toBeGreaterThanOrEqual(4);
    noPersonalData(audit, person);
  });

  it('exports everything held about the person as JSON: fields, consent, notes, calls, dispositions, recordings', async () => {
    const person = personFields({ notes: 'prefers mornings' });
    const [leadId] = await seedLeads(h, campaignA, [person]);
    const subjectId = await subjectOf(leadId);
    await h.db.sql(`UPDATE leads SET consent_basis = 'consent', consent_source = 'web-form' WHERE id = ?`, [leadId]);
    const note = await h.app.get(NoteService).addChecked(agentPrincipal(manager.id), leadId, 'asked about the gold plan');
    const recordingId = randomUUID();
    await h.db.sql(
      `INSERT INTO call_records (id, call_id, lead_id, campaign_id, started_at, outcome, recording_id, disposition_code)
       VALUES (?, ?, ?, ?, UTC_TIMESTAMP(3), 'answered', ?, 'sale')`,
      [randomUUID(), `call-${randomUUID()}`, leadId, campaignA, recordingId],
    );
    const callbackId = randomUUID();
    await h.db.sql(`INSERT INTO callbacks (id, lead_id, campaign_id, due_at) VALUES (?, ?, ?, UTC_TIMESTAMP(3))`, [callbackId, leadId, campaignA]);

    const res = await post('/privacy/requests', { kind: 'export', subjectId, reference: 'TICKET-1' }).expect(201);
    expect(res.body.request).toEqual(expect.objectContaining({ kind: 'export', status: 'completed', subjectId, reference: 'TICKET-1', requestedBy: admin.id }));
    const exported = res.body.export;
    expect(exported.subjectId).toBe(subjectId);
    expect(exported.leads).toHaveLength(1);
    expect(exported.leads[0]).toEqual(
      expect.objectContaining({
        id: leadId,
        campaignId: campaignA,
        fields: { ...person },
        consent: expect.objectContaining({ basis: 'consent', source: 'web-form' }),
        notes: [expect.objectContaining({ id: note.id, body: 'asked about the gold plan' })],
        callbacks: [expect.objectContaining({ id: callbackId, status: 'pending' })],
      }),
    );
    expect(exported.callRecords).toEqual([expect.objectContaining({ leadId, dispositionCode: 'sale', recordingId })]);
    expect(exported.recordings).toEqual([recordingId]);

    const status = await h.http().get(`/privacy/requests/${res.body.request.id}`).set('Authorization', as(adminSession)).expect(200);
    expect(status.body).toEqual(expect.objectContaining({ id: res.body.request.id, status: 'completed', reason: null }));
    const audit = await h.auditRows("action IN ('privacy.request', 'privacy.export') AND actor_id = ? AND (target_id = ?)", [admin.id, res.body.request.id]);
    expect(audit.map((a) => [a.action, a.outcome])).toEqual([
      ['privacy.request', 'success'],
      ['privacy.export', 'success'],
    ]);
    noPersonalData(audit, person);
  });

  it('rectifies fields with the person’s key, never the phone number', async () => {
    const person = personFields();
    const [leadId] = await seedLeads(h, campaignA, [person]);
    const subjectId = await subjectOf(leadId);
    const email = `augusta.${randomUUID().slice(0, 8)}@example.org`;

    const res = await post('/privacy/requests', { kind: 'rectify', subjectId, fields: { firstName: 'Augusta', email, address: null } }).expect(201);
    expect(res.body.request.status).toBe('completed');
    expect(res.body.rectified).toEqual({ leads: 1, fields: ['firstName', 'email', 'address'] });
    const { fields } = await h.app.get(LeadService).decrypt(leadId);
    expect(fields).toEqual({ ...person, firstName: 'Augusta', email, address: null });
    expect((await post('/privacy/search', { email }).expect(200)).body).toEqual([expect.objectContaining({ subjectId })]);
    expect((await post('/privacy/search', { email: person.email }).expect(200)).body).toEqual([]);

    const phone = await post('/privacy/requests', { kind: 'rectify', subjectId, fields: { phone: '+447700900999' } }).expect(400);
    expect(phone.body.message).toMatch(/phone number cannot be rectified/);
    const audit = await h.auditRows("action = 'privacy.rectify' AND target_id = ?", [res.body.request.id]);
    expect(JSON.parse(String(audit[0].details))).toEqual(expect.objectContaining({ fields: 'firstName,email,address', leads: 1 }));
    expect(JSON.stringify(audit)).not.toContain('Augusta');
  });

  it('erasure leaves the person’s data unreadable, backups included, and keeps the number off every list', async () => {
    const person = personFields();
    const [leadA] = await seedLeads(h, campaignA, [person]);
    const [leadB] = await seedLeads(h, campaignB, [person]);
    const subjectId = await subjectOf(leadA);
    await h.app.get(NoteService).addChecked(agentPrincipal(manager.id), leadA, 'lives near the station');
    const callId = `call-${randomUUID()}`;
    const recordingId = randomUUID();
    await h.db.sql(
      `INSERT INTO call_records (id, call_id, lead_id, campaign_id, started_at, outcome, recording_id) VALUES (?, ?, ?, ?, UTC_TIMESTAMP(3), 'answered', ?)`,
      [randomUUID(), callId, leadA, campaignA, recordingId],
    );
    const recordings = (await h.db.sql<Row[]>(`SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'recordings'`)).length > 0;
    if (recordings) {
      await h.db.sql(
        `INSERT INTO recordings (id, call_id, campaign_id, agent_user_id, status, pauses, key_id, key_version, wrapped_key)
         VALUES (?, ?, ?, ?, 'committed', '[]', 'recordings', 1, X'0102030405')`,
        [recordingId, callId, campaignA, manager.id],
      );
    }
    // The backup: the sealed bytes as they stood before the erasure.
    const encColumns = PERSONAL_FIELDS.map((f) => FIELD_COLUMNS[f]);
    const backup = await h.db.sql<Row[]>(`SELECT id, ${encColumns.join(', ')} FROM leads WHERE subject_id = ? ORDER BY id`, [subjectId]);
    const backupNotes = await h.db.sql<Row[]>('SELECT id, body_enc FROM lead_notes WHERE lead_id = ?', [leadA]);
    expect(backup).toHaveLength(2);
    expect(backupNotes).toHaveLength(1);

    const res = await post('/privacy/requests', { kind: 'erase', subjectId, reference: 'TICKET-9' }).expect(201);
    expect(res.body.request).toEqual(expect.objectContaining({ status: 'completed', kind: 'erase' }));
    expect(res.body.erased).toEqual({ leads: 2, notes: 1, callbacks: 0, recordings: recordings ? 1 : 0, dncAdded: true });

    // The live rows: every personal column empty, the key destroyed.
    for (const row of await h.db.sql<Row[]>(`SELECT status, email_bidx, ${encColumns.join(', ')} FROM leads WHERE subject_id = ?`, [subjectId])) {
      expect(row.status).toBe('erased');
      expect(row.email_bidx).toBeNull();
      for (const column of encColumns) expect([column, row[column] === null || (row[column] as Buffer).length === 0]).toEqual([column, true]);
    }
    expect(await h.db.sql('SELECT wrapped_key, key_id, phone_bidx FROM data_subjects WHERE id = ?', [subjectId])).toEqual([
      { wrapped_key: null, key_id: null, phone_bidx: null },
    ]);
    expect(await h.db.sql('SELECT id FROM lead_notes WHERE lead_id IN (?)', [[leadA, leadB]])).toEqual([]);
    await notFound(h.app.get(LeadService).decrypt(leadA));
    await notFound(h.app.get(LeadService).decrypt(leadB));

    // The backup restored over the erased rows still does not open: the person's key no longer exists.
    for (const row of backup) {
      await h.db.sql(`UPDATE leads SET ${encColumns.map((c) => `${c} = ?`).join(', ')}, status = 'new' WHERE id = ?`, [
        ...encColumns.map((c) => row[c]),
        row.id,
      ]);
    }
    await notFound(h.app.get(LeadService).decrypt(leadA));
    const cipher = h.app.get(LeadCipher);
    const subject = await h.app.get(SubjectRepository).findById(subjectId);
    await expect(cipher.unwrapSubjectKey(subjectId, subject!.wrapped)).rejects.toBeInstanceOf(SubjectKeyDestroyedError);
    // Nor under any key the system makes now: the same number written again gets a new person and key.
    const [again] = await seedLeads(h, campaignB, [personFields({ phone: person.phone })]);
    expect(again).not.toBe('');
    const newSubject = await h.app.get(SubjectRepository).findById(await subjectOf(again));
    expect(newSubject!.id).not.toBe(subjectId);
    const newKey = await cipher.unwrapSubjectKey(newSubject!.id, newSubject!.wrapped);
    const sealed = Object.fromEntries(PERSONAL_FIELDS.map((f) => [f, (backup[0][FIELD_COLUMNS[f]] as Buffer | null) ?? null])) as EncryptedFields;
    expect(() => cipher.open(newKey, backup[0].id as string, sealed)).toThrow(CryptoIntegrityError);
    const lead = await h.app.get(LeadRepository).findById(again);
    expect(() => cipher.open(newKey, again, { ...sealed, phone: lead!.fields.phone })).toThrow(CryptoIntegrityError);

    // On the global do-not-call list by index only; import and dialling refuse the number.
    const dnc = await h.db.sql<Row[]>(`SELECT campaign_key, source, LENGTH(phone_enc) AS len FROM dnc_entries WHERE source = 'erasure'`);
    expect(dnc).toEqual([{ campaign_key: '', source: 'erasure', len: 0 }]);
    expect(await h.app.get(DncService).isListed(campaignA, person.phone)).toBe(true);
    await expect(h.app.get(ComplianceService).mayDial(again)).resolves.toEqual({ allowed: false, reason: 'dnc' });
    const list = await h.http().post(`/campaigns/${campaignA}/lists`).set('Authorization', as(managerSession)).send({ name: 'Again', defaultRegion: 'GB' }).expect(201);
    const imported = await h
      .http()
      .post(`/lists/${list.body.id}/imports`)
      .set('Authorization', as(managerSession))
      .set('Content-Type', 'text/csv')
      .send(`first_name,phone\nAda,${person.phone}\n`);
    expect([imported.status, imported.body.accepted, imported.body.dncExcluded]).toEqual([201, 0, 1]);
    // The erasure's entry cannot be taken off the list by a manager.
    await h.http().delete('/dnc').set('Authorization', as(managerSession)).send({ phone: person.phone, reason: 'consent_obtained' }).expect(409);

    if (recordings) {
      expect(await h.db.sql('SELECT wrapped_key, status, deleted_at IS NOT NULL AS gone FROM recordings WHERE id = ?', [recordingId])).toEqual([
        { wrapped_key: null, status: 'deleted', gone: 1 },
      ]);
    }
    // Searching finds the new lead's person only; a second erasure of the old one is refused.
    const search = await post('/privacy/search', { phone: person.phone }).expect(200);
    expect(search.body.map((m: { subjectId: string }) => m.subjectId)).toEqual([newSubject!.id]);
    const repeat = await post('/privacy/requests', { kind: 'erase', subjectId }).expect(201);
    expect(repeat.body.request).toEqual(expect.objectContaining({ status: 'rejected', reason: 'subject_erased' }));

    const audit = await h.auditRows("action LIKE 'privacy.%' OR action LIKE 'dnc.%'");
    expect(audit.filter((a) => a.action === 'privacy.erase' && a.target_id === res.body.request.id)).toHaveLength(1);
    noPersonalData(audit, person);
  });

  it('refuses to erase a person with data under legal hold, and keeps the request with its reason', async () => {
    const person = personFields();
    const [leadId] = await seedLeads(h, campaignA, [person]);
    const subjectId = await subjectOf(leadId);
    await h.http().put(`/leads/${leadId}/legal-hold`).set('Authorization', as(managerSession)).send({ hold: true }).expect(204);
    const res = await post('/privacy/requests', { kind: 'erase', subjectId }).expect(201);
    expect(res.body.request).toEqual(expect.objectContaining({ status: 'rejected', reason: 'legal_hold', completedAt: expect.any(String) }));
    expect((await h.app.get(LeadService).decrypt(leadId)).fields.firstName).toBe(person.firstName);
    const listed = await h.http().get(`/privacy/requests?subjectId=${subjectId}`).set('Authorization', as(adminSession)).expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ id: res.body.request.id, status: 'rejected', reason: 'legal_hold' })]);
    const audit = await h.auditRows("action = 'privacy.erase' AND target_id = ?", [res.body.request.id]);
    expect(audit.map((a) => [a.outcome, JSON.parse(String(a.details)).reason])).toEqual([['failure', 'legal_hold']]);
    const unknown = await post('/privacy/requests', { kind: 'export', subjectId: randomUUID() }).expect(201);
    expect(unknown.body.request).toEqual(expect.objectContaining({ status: 'rejected', reason: 'subject_not_found' }));
  });
});
