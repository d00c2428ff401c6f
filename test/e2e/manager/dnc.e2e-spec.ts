import { Role } from '@app/domain';
import { ComplianceService } from '../../../apps/crm-api/src/compliance/compliance.service';
import { DncService } from '../../../apps/crm-api/src/compliance/dnc.service';
import { CrmApiHarness, SignedIn, TestUser } from '../../utils/crm-api-harness';
import { createCampaign, personFields, seedLeads, uniquePhone } from '../../utils/crm-fixtures';

describe('do-not-call lists (manager)', () => {
  let h: CrmApiHarness;
  let manager: TestUser;
  let session: SignedIn;
  let outsiderUser: TestUser;
  let outsider: SignedIn;
  let campaignId: string;
  let otherCampaignId: string;
  const as = (s: SignedIn) => `Bearer ${s.accessToken}`;

  beforeAll(async () => {
    h = await CrmApiHarness.start();
    manager = await h.createUser(Role.Manager);
    session = await h.signIn(manager);
    outsiderUser = await h.createUser(Role.Manager);
    outsider = await h.signIn(outsiderUser);
    campaignId = await createCampaign(h, session);
    otherCampaignId = await createCampaign(h, session);
  });
  afterAll(async () => {
    await h.stop();
  });

  it('adds a number to the global list, audited without the number, and lists it masked', async () => {
    const phone = uniquePhone();
    const res = await h.http().post('/dnc').set('Authorization', as(session)).send({ phone, reason: 'asked on call' }).expect(201);
    expect(res.body).toEqual({ added: true });
    const again = await h.http().post('/dnc').set('Authorization', as(session)).send({ phone }).expect(201);
    expect(again.body).toEqual({ added: false });

    const audit = await h.auditRows("action = 'dnc.add' AND actor_id = ?", [manager.id]);
    expect(audit.map((a) => a.outcome)).toEqual(['success', 'failure']);
    expect(audit[0].target_type).toBe('dnc_global');
    expect(JSON.stringify(audit)).not.toContain(phone.slice(1));

    const list = await h.http().get('/dnc').set('Authorization', as(session)).expect(200);
    expect(JSON.stringify(list.body)).not.toContain(phone.slice(1));
    expect(list.body).toContainEqual(expect.objectContaining({ campaignId: null, phoneMasked: `+44 *** *** ${phone.slice(-4)}`, source: 'manual' }));
    expect(await h.auditRows("action = 'dnc.list' AND actor_id = ?", [manager.id])).toHaveLength(1);
  });

  it('keeps a campaign’s list to that campaign’s managers', async () => {
    const phone = uniquePhone();
    await h.http().post('/dnc').set('Authorization', as(outsider)).send({ phone, campaignId }).expect(404);
    await h.http().get(`/dnc?campaignId=${campaignId}`).set('Authorization', as(outsider)).expect(404);
    await h.http().post('/dnc').set('Authorization', as(session)).send({ phone, campaignId }).expect(201);
    const list = await h.http().get(`/dnc?campaignId=${campaignId}`).set('Authorization', as(session)).expect(200);
    expect(list.body).toHaveLength(1);
    expect(list.body[0].campaignId).toBe(campaignId);
    const agent = await h.signIn(await h.createUser(Role.Agent));
    await h.http().post('/dnc').set('Authorization', as(agent)).send({ phone }).expect(403);
  });

  it('removes from the global list only with a reason, and audits the outcome', async () => {
    const phone = uniquePhone();
    await h.http().post('/dnc').set('Authorization', as(session)).send({ phone }).expect(201);
    const noReason = await h.http().delete('/dnc').set('Authorization', as(session)).send({ phone }).expect(400);
    expect(noReason.body.fields.map((f: { field: string }) => f.field)).toEqual(['reason']);
    expect(await h.app.get(DncService).isListed(campaignId, phone)).toBe(true);

    await h.http().delete('/dnc').set('Authorization', as(outsider)).send({ phone, reason: 'added_in_error' }).expect(204);
    expect(await h.app.get(DncService).isListed(campaignId, phone)).toBe(false);
    await h.http().delete('/dnc').set('Authorization', as(outsider)).send({ phone, reason: 'added_in_error' }).expect(404);

    const audit = await h.auditRows("action = 'dnc.remove' AND actor_id = ?", [outsiderUser.id]);
    expect(audit.map((a) => a.outcome)).toEqual(['success', 'failure']);
    expect(audit.map((a) => (typeof a.details === 'string' ? JSON.parse(a.details) : a.details).reason)).toEqual(['added_in_error', 'added_in_error']);
    expect(JSON.stringify(audit)).not.toContain(phone.slice(1));
  });

  it('takes a bulk CSV, streamed, and reports invalid lines by number', async () => {
    const [a, b, c] = [uniquePhone(), uniquePhone(), uniquePhone()];
    const local = `0${c.slice(3)}`;
    const csv = ['phone', a, 'not a number', '', b, '12', `"${local}",extra`, a].join('\n');
    const res = await h
      .http()
      .post(`/dnc/bulk?campaignId=${campaignId}&region=GB`)
      .set('Authorization', as(session))
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(200);
    expect(res.body).toEqual({
      added: 3,
      already: 1,
      invalid: 2,
      invalidLines: [
        { line: 3, reason: 'not a valid phone number for region GB' },
        { line: 6, reason: 'not a valid phone number for region GB' },
      ],
      invalidLinesTruncated: false,
    });
    expect(JSON.stringify(res.body)).not.toContain('not a number');
    for (const phone of [a, b, c]) expect(await h.app.get(DncService).isListed(campaignId, phone)).toBe(true);
    expect(await h.app.get(DncService).isListed(otherCampaignId, a)).toBe(false);
    const audit = await h.auditRows("action = 'dnc.bulk' AND target_id = ?", [campaignId]);
    expect(audit).toHaveLength(1);
    expect(audit[0].outcome).toBe('success');

    await h.http().post('/dnc/bulk').set('Authorization', as(session)).set('Content-Type', 'application/json').send('{}').expect(415);
    const broken = await h.http().post('/dnc/bulk').set('Authorization', as(session)).set('Content-Type', 'text/csv').send(`${uniquePhone()}\n"unclosed`).expect(400);
    expect(broken.body.error).toBe('invalid_import');
    expect(broken.body.message).toMatch(/line 2/);
  });

  it('decides at dial time: global and campaign lists, added after the lead was imported', async () => {
    const compliance = h.app.get(ComplianceService);
    const people = [personFields(), personFields()];
    const [g, c] = await seedLeads(h, otherCampaignId, people);
    const phoneOf = new Map([
      [g, people[0].phone],
      [c, people[1].phone],
    ]);
    await expect(compliance.mayDial(g)).resolves.toEqual({ allowed: true });
    await expect(compliance.mayDial(c)).resolves.toEqual({ allowed: true });

    await h.http().post('/dnc').set('Authorization', as(session)).send({ phone: phoneOf.get(g) }).expect(201);
    await h.http().post('/dnc').set('Authorization', as(session)).send({ phone: phoneOf.get(c), campaignId: otherCampaignId }).expect(201);
    await expect(compliance.mayDial(g)).resolves.toEqual({ allowed: false, reason: 'dnc' });
    await expect(compliance.mayDial(c)).resolves.toEqual({ allowed: false, reason: 'dnc' });

    // The campaign list binds that campaign only: the same number elsewhere is still callable.
    const [elsewhere] = await seedLeads(h, campaignId, [personFields({ phone: phoneOf.get(c) })]);
    await expect(compliance.mayDial(elsewhere)).resolves.toEqual({ allowed: true });

    await h.http().delete('/dnc').set('Authorization', as(session)).send({ phone: phoneOf.get(c), campaignId: otherCampaignId }).expect(204);
    await expect(compliance.mayDial(c)).resolves.toEqual({ allowed: true });
  });
});
