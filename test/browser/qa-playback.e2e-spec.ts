import { INestApplication } from '@nestjs/common';
import type { BrowserContext, Page, Response } from 'playwright-core';
import { Role } from '@app/domain';
import { TestUser } from '../utils/crm-api-harness';
import { RecordingHarness } from '../e2e/recording/recording-harness';
import { browserKeepsNothing, chromiumAvailable, ensureConsoleBuilt, launchBrowser, listen, screenshot, signInThroughPages, startConsole } from './browser-harness';

/** Counts drawn (non-playhead) pixels in one column of each half of the waveform canvas; runs in the page. */
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
}
const INK = (element: unknown) => {
  const canvas = element as CanvasLike;
  const ctx = canvas.getContext('2d');
  const filled = (x: number, y0: number, y1: number) => {
    const data = ctx.getImageData(x, y0, 1, y1 - y0).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && !(data[i] > 150 && data[i + 1] < 80)) n++;
    return n;
  };
  const w = canvas.width;
  const h = canvas.height;
  return {
    customerEarly: filled(Math.round(w * 0.1), 0, h / 2 - 1),
    agentEarly: filled(Math.round(w * 0.1), h / 2 + 1, h),
    agentLate: filled(Math.round(w * 0.6), h / 2 + 1, h),
  };
};
/**
 * Whether the player's <audio> position (ms) is within [from, to]. Passed to the page whole (the
 * console's CSP forbids evaluating strings, and the tests are compiled without the DOM library).
 */
const audioWithin = ([from, to]: [number, number]) => {
  const audio = (globalThis as unknown as { document: { querySelector(s: string): { currentTime: number } | null } }).document.querySelector(
    '[data-testid="audio"]',
  );
  const ms = (audio?.currentTime ?? 0) * 1000;
  return ms >= from && ms <= to;
};

const run = chromiumAvailable('console QA: recording playback and seek') ? describe : describe.skip;

run('console in chromium: QA finds a recording, plays it with a ticket, seeks on the waveform and scores it', () => {
  let h: RecordingHarness;
  let consoleApp: INestApplication;
  let url: string;
  let browser: { context: BrowserContext; page: Page; close: () => Promise<void> };
  let qa: TestUser;
  let recordingId: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    h = await RecordingHarness.start(4096);
    ({ app: consoleApp, url } = await startConsole({ crm: await listen(h.crm.app), recording: await listen(h.app) }));
    browser = await launchBrowser();
    const agent = await h.crm.createUser(Role.Agent);
    const campaignId = await h.campaign({ agentPlayback: false, agents: [agent.id] });
    ({ recordingId } = await h.recordCall(campaignId, agent.id, { seconds: 8, customerHz: 440, agentHz: 1000, agentDelayMs: 2000 }));
    qa = await h.crm.createUser(Role.Qa);
    const session = await h.crm.signIn(qa);
    await h
      .http()
      .post('/qa/scorecards')
      .set('Authorization', `Bearer ${session.accessToken}`)
      .send({ name: 'Call quality', criteria: [{ key: 'greeting', label: 'Greeting', weight: 1, maxPoints: 5 }] })
      .expect(201);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await consoleApp?.close();
    await h?.stop();
  });

  it('plays through the ticketed <audio>, draws both channels, and seeks by clicking the waveform', async () => {
    const { page, context } = browser;
    const audioResponses: Response[] = [];
    page.on('response', (r) => {
      if (r.url().includes(`/api/recording/recordings/${recordingId}/playback?ticket=`)) audioResponses.push(r);
    });
    await signInThroughPages(page, url, h.crm, qa);
    await page.getByRole('heading', { name: 'Recordings' }).waitFor();
    await page.getByLabel('Shortest (seconds)').fill('5');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('Recordings found: 1').waitFor();
    await page.getByRole('button', { name: /^Listen to the recording/ }).click();

    await page.locator('[data-testid="waveform"][data-ready="true"]').waitFor();
    await page.getByText('Customer — left channel (top)').waitFor();
    await page.getByText('Agent — right channel (bottom)').waitFor();
    // Drawn from the decoded audio: ink in the customer's half from the start, the agent's only after 2 s.
    const ink = await page.getByTestId('waveform').evaluate(INK);
    expect(ink.customerEarly).toBeGreaterThan(10);
    expect(ink.agentEarly).toBeLessThanOrEqual(2); // the silent baseline is one pixel
    expect(ink.agentLate).toBeGreaterThan(10);

    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(audioWithin, [200, 60_000] as [number, number]);
    const box = (await page.getByTestId('waveform').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.75, box.y + box.height / 2);
    await page.waitForFunction(audioWithin, [6000, 8200] as [number, number]);
    await page.getByRole('button', { name: 'Pause' }).click();
    await screenshot(page, 'qa-1-player');

    // The <audio> element authenticated with the ticket only (no bearer), and got ranges.
    expect(audioResponses.length).toBeGreaterThan(0);
    for (const r of audioResponses) {
      expect([200, 206]).toContain(r.status());
      expect(await r.request().headerValue('authorization')).toBeNull();
    }
    expect(audioResponses.some((r) => r.status() === 206)).toBe(true);
    const plays = await h.crm.auditRows(`action = 'recording.play' AND outcome = 'success' AND actor_id = ? AND target_id = ?`, [qa.id, recordingId]);
    expect(plays.length).toBeGreaterThanOrEqual(2); // the waveform's fetch and the player's ranges
    expect(await h.crm.auditRows(`action = 'recording.playback_ticket' AND actor_id = ?`, [qa.id])).not.toHaveLength(0);
    expect(await browserKeepsNothing(page, context)).toEqual({ storage: 0, cookies: 0, path: '/' });
  });

  it('scores the recording with a comment tied to the current moment', async () => {
    const { page } = browser;
    await page.getByLabel('Greeting (0–5)').fill('4');
    await page.getByLabel('Comment', { exact: true }).fill('Good recovery after the objection.');
    await page.getByRole('button', { name: 'Add comment at the current position' }).click();
    await page.getByRole('button', { name: 'Save score' }).click();
    await page.getByText('Score saved.').waitFor();
    const [score] = await h.crm.db.sql<Array<{ comments: string | Array<{ atMs: number }> }>>('SELECT comments FROM qa_scores WHERE recording_id = ?', [recordingId]);
    const comments = typeof score.comments === 'string' ? JSON.parse(score.comments) : score.comments;
    expect(comments).toHaveLength(1);
    expect(comments[0].atMs).toBeGreaterThan(5500);
    // The saved comment is a button that seeks the player to its moment.
    await page.getByRole('button', { name: 'Play' }).waitFor();
    await page.getByRole('article').getByRole('button').first().click();
    await page.waitForFunction(audioWithin, [comments[0].atMs - 300, comments[0].atMs + 300] as [number, number]);
    await screenshot(page, 'qa-2-scored');
  });
});
