import { INestApplication } from '@nestjs/common';
import type { BrowserContext, Page } from 'playwright-core';
import { Role } from '@app/domain';
import { CrmApiHarness } from '../utils/crm-api-harness';
import { browserKeepsNothing, chromiumAvailable, ensureConsoleBuilt, launchBrowser, listen, screenshot, startConsole, totpFor } from './browser-harness';

const run = chromiumAvailable('console sign-in') ? describe : describe.skip;

run('console in chromium: sign-in with TOTP, first-login enrolment, session expiry, frozen account', () => {
  let crm: CrmApiHarness;
  let consoleApp: INestApplication;
  let url: string;
  let browser: { context: BrowserContext; page: Page; close: () => Promise<void> };

  beforeAll(async () => {
    ensureConsoleBuilt();
    crm = await CrmApiHarness.start();
    ({ app: consoleApp, url } = await startConsole({ crm: await listen(crm.app) }));
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await consoleApp?.close();
    await crm?.stop();
  });

  it('serves the pages with a strict CSP and no framing', async () => {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('enrols a first-time user: QR code, a TOTP computed from the shown key, recovery codes, then signs in again with a code', async () => {
    const { page, context } = browser;
    const user = await crm.createUser(Role.Agent, { mfa: false });
    await page.goto(url);
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByRole('heading', { name: 'Set up two-factor authentication' }).waitFor();
    const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await screenshot(page, 'login-1-enrolment');

    await page.getByLabel('6-digit code from your authenticator app').fill(totpFor(secret, crm));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    expect(await page.locator('.recovery-codes li').count()).toBe(10);
    await screenshot(page, 'login-2-recovery-codes');
    await page.getByRole('button', { name: 'I have stored my recovery codes' }).click();
    await page.getByRole('heading', { name: 'Agent desk' }).waitFor();

    // Tokens stay in memory: nothing in storage or cookies, nothing in the address bar.
    expect(await browserKeepsNothing(page, context)).toEqual({ storage: 0, cookies: 0, path: '/' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('6-digit code from your authenticator app').fill(totpFor(secret, crm));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Agent desk' }).waitFor();
    await screenshot(page, 'login-3-signed-in');
    const logins = await crm.auditRows(`action = 'auth.login' AND outcome = 'success' AND actor_id = ?`, [user.id]);
    expect(logins).toHaveLength(2);
  });

  it('refuses a wrong code with the one answer for every sign-in failure', async () => {
    const { page } = browser;
    const user = await crm.createUser(Role.Qa);
    await page.goto(url);
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('6-digit code from your authenticator app').fill('000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Sign-in failed' }).waitFor();
  });

  it('goes back to sign-in with a message when the session ends (refresh refused)', async () => {
    const { page } = browser;
    const user = await crm.createUser(Role.Agent);
    await page.goto(url);
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('6-digit code from your authenticator app').fill(crm.nextCode(user));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Agent desk' }).waitFor();

    // Revoked elsewhere (an administrator, or a copied refresh token): the next call answers 401,
    // the console tries to rotate the refresh token, is refused, and asks to sign in again.
    await crm.db.sql('UPDATE sessions SET revoked_at = NOW(3) WHERE user_id = ?', [user.id]);
    // Any call makes the console notice; the desk's own background calls may get there first and leave
    // for the sign-in page before this click (then the click has nothing to do).
    await page
      .getByLabel('Lead reference')
      .fill('00000000-0000-4000-8000-000000000000', { timeout: 3000 })
      .then(() => page.getByRole('button', { name: 'Open lead' }).click({ timeout: 3000 }))
      .catch(() => undefined);
    await page.getByText('Your session has expired. Please sign in again.').waitFor();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(page, 'login-4-session-expired');
    expect(await crm.auditRows(`action = 'auth.refresh' AND outcome = 'failure'`)).not.toHaveLength(0);
  });

  it('shows a frozen account clearly', async () => {
    const { page } = browser;
    const user = await crm.createUser(Role.Agent);
    await crm.db.sql('UPDATE users SET frozen_at = NOW(3) WHERE id = ?', [user.id]);
    await page.goto(url);
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alert').filter({ hasText: 'This account is frozen.' }).waitFor();
    await screenshot(page, 'login-5-frozen');
  });
});
