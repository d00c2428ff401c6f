import { INestApplication } from '@nestjs/common';
import type { BrowserContext, Page } from 'playwright-core';
import { Role } from '@app/domain';
import { CrmApiHarness, TestUser } from '../utils/crm-api-harness';
import { browserKeepsNothing, chromiumAvailable, ensureConsoleBuilt, launchBrowser, listen, screenshot, signInThroughPages, startConsole } from './browser-harness';

const run = chromiumAvailable('console manager: campaign and lead import') ? describe : describe.skip;

run('console in chromium: a manager creates a campaign, uploads a CSV and sees its report', () => {
  let crm: CrmApiHarness;
  let consoleApp: INestApplication;
  let url: string;
  let browser: { context: BrowserContext; page: Page; close: () => Promise<void> };
  let manager: TestUser;

  beforeAll(async () => {
    ensureConsoleBuilt();
    crm = await CrmApiHarness.start();
    ({ app: consoleApp, url } = await startConsole({ crm: await listen(crm.app) }));
    browser = await launchBrowser();
    manager = await crm.createUser(Role.Manager);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await consoleApp?.close();
    await crm?.stop();
  });

  it('creates and activates a campaign, imports a lead list with progress, and shows the report with the rejected row', async () => {
    const { page, context } = browser;
    await signInThroughPages(page, url, crm, manager);
    await page.getByRole('heading', { name: 'Campaigns' }).waitFor();

    await page.getByRole('button', { name: 'New campaign' }).click();
    await page.getByLabel('Campaign name').fill('Spring renewals');
    await page.getByLabel('Caller IDs (E.164, comma-separated)').fill('+442071838750');
    await page.getByLabel('Script shown to agents').fill('Hello, this is the renewals team.');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.getByText('Campaign “Spring renewals” created.').waitFor();
    const [campaign] = await crm.db.sql<Array<{ id: string; status: string; script: string }>>(`SELECT id, status, script FROM campaigns WHERE name = 'Spring renewals'`);
    expect(campaign).toMatchObject({ status: 'draft', script: 'Hello, this is the renewals team.' });

    await page.getByRole('button', { name: 'Activate Spring renewals' }).click();
    await page.getByRole('button', { name: 'Pause Spring renewals' }).waitFor();
    expect((await crm.db.sql<Array<{ status: string }>>('SELECT status FROM campaigns WHERE id = ?', [campaign.id]))[0].status).toBe('active');

    await page.getByLabel('New list name').fill('April list');
    await page.getByRole('button', { name: 'Create list' }).click();
    await page.getByLabel('Lead list').locator('option', { hasText: 'April list (GB)' }).waitFor({ state: 'attached' });

    const rows = ['first_name,last_name,phone,email'];
    for (let i = 0; i < 40; i++) rows.push(`Person${i},Tester,07402${String(100000 + i)},p${i}@example.org`);
    rows.push('Broken,Row,not-a-number,x@example.org');
    rows.push('Again,Twice,07402100000,again@example.org'); // same number as the first row
    await page.getByLabel('CSV file').setInputFiles({ name: 'april.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') });
    await page.getByRole('button', { name: 'Upload and import' }).click();

    await page.getByRole('heading', { name: 'Import report' }).waitFor();
    expect(await page.getByTestId('import-status').textContent()).toBe('completed');
    expect(await page.getByTestId('import-accepted').textContent()).toBe('40');
    expect(await page.getByTestId('import-rejected').textContent()).toBe('1');
    expect(await page.getByLabel('Import progress').evaluate((el) => (el as unknown as { value: number }).value)).toBe(100);
    const issues = page.getByRole('table', { name: 'Rows not imported' });
    await issues.getByRole('cell', { name: 'rejected' }).waitFor();
    await issues.getByRole('cell', { name: 'duplicate' }).waitFor();
    // The report names lines and columns, never the values.
    expect(await issues.textContent()).not.toContain('not-a-number');
    await screenshot(page, 'manager-import-report');

    const [{ n }] = await crm.db.sql<Array<{ n: number }>>('SELECT COUNT(*) AS n FROM leads WHERE campaign_id = ?', [campaign.id]);
    expect(Number(n)).toBe(40);
    expect(await browserKeepsNothing(page, context)).toEqual({ storage: 0, cookies: 0, path: '/' });
  });
});
