import { Role } from '@app/domain';
import { ComplianceService } from '../../../apps/crm-api/src/compliance/compliance.service';
import { CrmApiHarness, SignedIn, TestUser } from '../../utils/crm-api-harness';
import { createCampaign, personFields, seedLeads } from '../../utils/crm-fixtures';

describe('consent and legal hold (manager)', () => {
  let h: CrmApiHarness;
  let manager: TestUser;
  let session: SignedIn;
  let consentCampaign: string;
  let openCampaign: string;
  const as = (s: SignedIn) => `Bearer ${s.accessToken}`;

  beforeAll(async () => {
    h = await CrmApiHarness.start();
    manager = await h.createUser(Role.Manager);
    session = await h.signIn(manager);
    consentCampaign = await createCampaign(h, session, { consentRequired: true });
    openCampaign = await createCampaign(h, session);
  });
  afterAll(async () => {
    await h.stop();
  });

  it('never lets a campaign that requires consent dial a lead without it', async () => {
    const compliance = h.app.get(ComplianceService);
    const [leadId] = await seedLeads(h, consentCampaign, [personFields()]);
    const [openLead] = await seedLeads(h, openCampaign, [personFields()]);
    await expect(compliance.mayDial(leadId)).resolves.toEqual({ allowed: false, reason: 'no_consent' });
    await expect(compliance.mayDial(openLead)).resolves.toEqual({ allowed: true });

    // Another lawful basis is not consent to be called.
    await h.http().put(`/leads/${leadId}/consent`).set('Authorization', as(session)).send({ basis: 'legitimate_interest' }).expect(204);
    await expect(compliance.mayDial(leadId)).resolves.toEqual({ allowed: false, reason: 'no_consent' });

    const evidenceRef = 'DOC-7781-signed-form-of-ada';
    await h
      .http()
      .put(`/leads/${leadId}/consent`)
      .set('Authorization', as(session))
      .send({ basis: 'consent', source: 'web-form', at: '2026-11-01T10:00:00Z', evidenceRef })
      .expect(204);
    await expect(compliance.mayDial(leadId)).resolves.toEqual({ allowed: true });
    const [row] = await h.db.sql<Array<Record<string, unknown>>>(
      'SELECT consent_basis, consent_source, consent_at, consent_evidence_ref FROM leads WHERE id = ?',
      [leadId],
    );
    expect(row).toEqual({ consent_basis: 'consent', consent_source: 'web-form', consent_at: expect.any(Date), consent_evidence_ref: evidenceRef });
    expect((row.consent_at as Date).toISOString()).toBe('2026-11-01T10:00:00.000Z');

    const audit = await h.auditRows("action = 'lead.consent' AND target_id = ?", [leadId]);
    expect(audit).toHaveLength(2);
    expect(audit[1].actor_id).toBe(manager.id);
    expect(JSON.stringify(audit)).not.toContain('DOC-7781');
    expect(JSON.stringify(audit)).not.toContain('web-form');
    expect(audit.map((a) => JSON.parse(String(a.details)))).toEqual([{ basis: 'legitimate_interest' }, { basis: 'consent' }]);
  });

  it('lets only the campaign’s managers record consent or a legal hold', async () => {
    const [leadId] = await seedLeads(h, consentCampaign, [personFields()]);
    const other = await h.signIn(await h.createUser(Role.Manager));
    await h.http().put(`/leads/${leadId}/consent`).set('Authorization', as(other)).send({ basis: 'consent' }).expect(404);
    await h.http().put(`/leads/${leadId}/legal-hold`).set('Authorization', as(other)).send({ hold: true }).expect(404);
    const agent = await h.signIn(await h.createUser(Role.Agent));
    await h.http().put(`/leads/${leadId}/consent`).set('Authorization', as(agent)).send({ basis: 'consent' }).expect(403);
    await h.http().put(`/leads/${leadId}/consent`).set('Authorization', as(session)).send({ basis: 'because' }).expect(400);
  });

  it('puts a lead under legal hold and releases it, audited', async () => {
    const [leadId] = await seedLeads(h, openCampaign, [personFields()]);
    await h.http().put(`/leads/${leadId}/legal-hold`).set('Authorization', as(session)).send({ hold: true }).expect(204);
    expect(await h.db.sql('SELECT legal_hold FROM leads WHERE id = ?', [leadId])).toEqual([{ legal_hold: 1 }]);
    await h.http().put(`/leads/${leadId}/legal-hold`).set('Authorization', as(session)).send({ hold: true }).expect(204);
    await h.http().put(`/leads/${leadId}/legal-hold`).set('Authorization', as(session)).send({ hold: false }).expect(204);
    expect(await h.db.sql('SELECT legal_hold FROM leads WHERE id = ?', [leadId])).toEqual([{ legal_hold: 0 }]);
    const audit = await h.auditRows("action = 'lead.legal_hold' AND target_id = ?", [leadId]);
    expect(audit.map((a) => (typeof a.details === 'string' ? JSON.parse(a.details) : a.details).hold)).toEqual([true, true, false]);
  });
});
