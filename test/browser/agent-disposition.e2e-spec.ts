import { INestApplication } from '@nestjs/common';
import type { BrowserContext, Page } from 'playwright-core';
import { Role } from '@app/domain';
import { CrmApiHarness, TestUser } from '../utils/crm-api-harness';
import { addAgents, assignLead, createCampaign, personFields, seedLeads } from '../utils/crm-fixtures';
import { browserKeepsNothing, chromiumAvailable, ensureConsoleBuilt, launchBrowser, listen, screenshot, signInThroughPages, startConsole } from './browser-harness';

const run = chromiumAvailable('console agent: masked lead and disposition') ? describe : describe.skip;

function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

run('console in chromium: an agent sees a masked lead and sets a disposition with a callback', () => {
  let crm: CrmApiHarness;
  let consoleApp: INestApplication;
  let url: string;
  let browser: { context: BrowserContext; page: Page; close: () => Promise<void> };
  let agent: TestUser;
  let leadId: string;
  let phone: string;
  let campaignId: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    crm = await CrmApiHarness.start();
    ({ app: consoleApp, url } = await startConsole({ crm: await listen(crm.app) }));
    browser = await launchBrowser();
    // The dialer is not part of this round: the lead is given to the agent as the dialer would.
    const manager = await crm.signIn(await crm.createUser(Role.Manager));
    agent = await crm.createUser(Role.Agent);
    campaignId = await createCampaign(crm, manager, { name: 'Winter offers', script: 'Greet the customer by name and confirm the plan.' });
    await addAgents(crm, manager, campaignId, [agent.id]);
    const person = personFields({ firstName: 'Grace', lastName: 'Hopper', nationalId: 'QQ123456C' });
    phone = person.phone;
    [leadId] = await seedLeads(crm, campaignId, [person]);
    await assignLead(crm, leadId, agent.id);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await consoleApp?.close();
    await crm?.stop();
  });

  it('shows the campaign and the masked lead card with the script, and saves a callback disposition with a note', async () => {
    const { page, context } = browser;
    await signInThroughPages(page, url, crm, agent);
    await page.getByRole('heading', { name: 'Agent desk' }).waitFor();
    await page.getByRole('region', { name: 'My campaigns' }).getByText('Winter offers').waitFor();

    await page.getByLabel('Lead reference').fill(leadId);
    await page.getByRole('button', { name: 'Open lead' }).click();
    await page.getByRole('heading', { name: 'Grace Hopper' }).waitFor();
    const shown = (await page.getByTestId('lead-phone').textContent())!;
    expect(shown).not.toBe(phone);
    expect(shown).toContain(phone.slice(-2));
    expect(shown).toMatch(/[*•x]/);
    const html = await page.content();
    expect(html).not.toContain(phone);
    expect(html).not.toContain(phone.slice(3));
    expect(html).not.toContain('QQ123456C');
    await page.getByText('Greet the customer by name and confirm the plan.').waitFor();
    await screenshot(page, 'agent-1-lead-card');

    await page.getByLabel('Outcome of the call').selectOption({ label: 'Interested, call back' });
    await page.getByLabel('Notes').fill('Wants the gold plan; call after lunch.');
    const due = new Date(Date.now() + 2 * 24 * 3600_000);
    due.setHours(14, 30, 0, 0);
    await page.getByLabel('Call back at').fill(localInput(due));
    await page.getByLabel('Who calls back').selectOption('mine');
    await page.getByRole('button', { name: 'Save disposition' }).click();
    await page.getByText('Disposition “Interested, call back” saved.').waitFor();

    // The callback shows in the agent's list; the lead id (not personal data) is all it carries.
    await page.getByRole('region', { name: 'My callbacks' }).getByRole('button', { name: 'Open lead' }).waitFor();
    await screenshot(page, 'agent-2-disposition-saved');

    const [lead] = await crm.db.sql<Array<{ status: string; assigned_agent_id: string | null }>>('SELECT status, assigned_agent_id FROM leads WHERE id = ?', [leadId]);
    expect(lead.status).toBe('callback');
    const callbacks = await crm.db.sql<Array<{ agent_id: string; due_at: Date }>>('SELECT agent_id, due_at FROM callbacks WHERE lead_id = ?', [leadId]);
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0].agent_id).toBe(agent.id);
    expect(new Date(callbacks[0].due_at).getTime()).toBe(due.getTime());
    const audit = await crm.auditRows(`actor_id = ? AND action LIKE 'lead.%'`, [agent.id]);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['lead.read']));
    expect(await browserKeepsNothing(page, context)).toEqual({ storage: 0, cookies: 0, path: '/' });
  });
});
