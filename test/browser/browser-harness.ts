import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { authenticator } from 'otplib';
import type { BrowserContext, Page } from 'playwright-core';
import { defaultWebDir } from '../../apps/console/src/console.config';
import { createConsoleApp } from '../../apps/console/src/console-app';
import { CrmApiHarness, TestUser } from '../utils/crm-api-harness';
import { testHttpConfig } from '../utils/test-config';

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..');
const WEB_SOURCES = join(ROOT, 'apps', 'console', 'web');
const SCREENSHOTS = join(ROOT, 'test-output', 'screenshots');

/** True when Debian's chromium is installed; otherwise the suite says so on one line and skips. */
export function chromiumAvailable(suite: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  console.log(`SKIPPED: ${suite}: browser tests need ${CHROMIUM} (apt-get install chromium)`);
  return false;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds the console's pages when dist/console-web is missing or older than its sources. Test files
 * run in parallel: a lock directory makes one build and the others wait for it.
 */
export function ensureConsoleBuilt(): void {
  const index = join(defaultWebDir(), 'index.html');
  const stale = () => !existsSync(index) || statSync(index).mtimeMs < newestMtime(WEB_SOURCES);
  if (!stale()) return;
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const lock = join(ROOT, 'dist', '.console-web-build.lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`console build lock ${lock} held for too long (remove it if no build runs)`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    if (stale()) {
      execFileSync(join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '--config', join(WEB_SOURCES, 'vite.config.mts'), '--logLevel', 'error'], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
        timeout: 170_000,
      });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Makes an in-process Nest app listen on a free loopback port; answers its base URL. */
export async function listen(app: INestApplication): Promise<string> {
  const server = app.getHttpServer() as Server;
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The console server in front of the in-process apps, as the platform runs it (minus TLS). */
export async function startConsole(upstreams: { crm: string; recording?: string }): Promise<{ app: INestApplication; url: string }> {
  const app = await createConsoleApp({
    http: testHttpConfig(),
    console: {
      crmApiUrl: upstreams.crm,
      recordingUrl: upstreams.recording ?? 'http://127.0.0.1:9',
      dialerUrl: 'http://127.0.0.1:9',
      upstreamCaFile: '',
      webDir: defaultWebDir(),
    },
  });
  await app.init();
  return { app, url: await listen(app) };
}

/** Debian's chromium, headless, in a fresh profile directory that is deleted afterwards. */
export async function launchBrowser(): Promise<{ context: BrowserContext; page: Page; close: () => Promise<void> }> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--mute-audio',
    ],
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** A TOTP code of an enrolled base32 key at the crm-api's test clock, computed with otplib. */
export function totpFor(base32Secret: string, crm: CrmApiHarness): string {
  crm.clock.advance(30_000);
  return authenticator.clone({ epoch: crm.clock.now().getTime() }).generate(base32Secret);
}

/** Signs a user (with MFA enrolled by the harness) in through the pages: password, then a fresh code. */
export async function signInThroughPages(page: Page, consoleUrl: string, crm: CrmApiHarness, user: TestUser): Promise<void> {
  await page.goto(consoleUrl);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('6-digit code from your authenticator app').fill(crm.nextCode(user));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Nothing of the session or of people may be kept by the browser: no storage, no cookies, nothing in the URL. */
export async function browserKeepsNothing(page: Page, context: BrowserContext): Promise<{ storage: number; cookies: number; path: string }> {
  const storage = await page.evaluate(() => {
    // In the page; the tests are compiled without the DOM library.
    const w = globalThis as unknown as { localStorage: { length: number }; sessionStorage: { length: number } };
    return w.localStorage.length + w.sessionStorage.length;
  });
  return { storage, cookies: (await context.cookies()).length, path: new URL(page.url()).pathname + new URL(page.url()).search + new URL(page.url()).hash };
}
