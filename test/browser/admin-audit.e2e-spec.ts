import { INestApplication } from '@nestjs/common';
import type { BrowserContext, Page } from 'playwright-core';
import { Role } from '@app/domain';
import { CrmApiHarness, TestUser } from '../utils/crm-api-harness';
import { chromiumAvailable, ensureConsoleBuilt, launchBrowser, listen, screenshot, signInThroughPages, startConsole } from './browser-harness';

const run = chromiumAvailable('console admin: audit chain') ? describe : describe.skip;

run('console in chromium: an admin verifies the audit chain and confirms a sensitive action', () => {
  let crm: CrmApiHarness;
  let consoleApp: INestApplication;
  let url: string;
  let browser: { context: BrowserContext; page: Page; close: () => Promise<void> };
  let admin: TestUser;

  beforeAll(async () => {
    ensureConsoleBuilt();
    crm = await CrmApiHarness.start();
    ({ app: consoleApp, url } = await startConsole({ crm: await listen(crm.app) }));
    browser = await launchBrowser();
    admin = await crm.createUser(Role.Admin);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await consoleApp?.close();
    await crm?.stop();
  });

  it('verifies the audit chain and shows the entries', async () => {
    const { page } = browser;
    await signInThroughPages(page, url, crm, admin);
    await page.getByRole('button', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByRole('cell', { name: 'auth.login' }).first().waitFor();
    await page.getByRole('button', { name: 'Verify the audit chain' }).click();
    const result = page.getByTestId('audit-verify-result');
    await result.waitFor();
    const [{ n }] = await crm.db.sql<Array<{ n: number }>>(`SELECT COUNT(*) AS n FROM audit_log WHERE action <> 'audit.verify'`);
    expect(await result.textContent()).toMatch(new RegExp(`^Chain intact: ${Number(n)} entries verified`));
    await screenshot(page, 'admin-1-audit-verified');
    expect(await crm.auditRows(`action = 'audit.verify' AND outcome = 'success' AND actor_id = ?`, [admin.id])).toHaveLength(1);
  });

  it('asks for password and code again before a sensitive action, then carries it out', async () => {
    const { page } = browser;
    const target = await crm.createUser(Role.Agent, { username: 'agent-mfa-reset' });
    // The sign-in counted as a re-authentication; make it old, as it is a few minutes later.
    await crm.db.sql('UPDATE sessions SET reauth_at = NULL WHERE user_id = ?', [admin.id]);
    await page.getByRole('button', { name: 'Users and sessions' }).click();
    const row = page.getByRole('row').filter({ hasText: 'agent-mfa-reset' });
    await row.getByRole('button', { name: 'Reset two-factor' }).click();

    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Password').evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).toBe(true);
    await dialog.getByLabel('Password').fill(admin.password);
    await dialog.getByLabel('6-digit code').fill(crm.nextCode(admin));
    await screenshot(page, 'admin-2-reauth');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Two-factor reset for agent-mfa-reset.').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    const [user] = await crm.db.sql<Array<{ mfa_enabled_at: Date | null }>>('SELECT mfa_enabled_at FROM users WHERE id = ?', [target.id]);
    expect(user.mfa_enabled_at).toBeNull();
    expect(await crm.auditRows(`action = 'auth.reauth' AND outcome = 'success' AND actor_id = ?`, [admin.id])).toHaveLength(1);
  });
});
