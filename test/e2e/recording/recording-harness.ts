import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { TokenService } from '@app/auth';
import { Clock, Role, ServiceName } from '@app/domain';
import { configureApp } from '@app/http';
import { IngestService } from '../../../apps/recording/src/ingest/ingest.service';
import { RecordingStorageConfig } from '../../../apps/recording/src/recording.config';
import { RecordingModule } from '../../../apps/recording/src/recording.module';
import { CrmApiHarness, SignedIn, TestUser } from '../../utils/crm-api-harness';
import { testKmsConfig, testPlatformConfig } from '../../utils/test-config';
import { newCallId, toneCall, ToneCallOptions, writeSpoolCall } from './recording-fixtures';

/**
 * crm-api (for users and sign-in) and the recording app on one database and one auth config, as in
 * production; the spool and the store are temporary directories; ingest runs when the test says.
 */
export class RecordingHarness {
  readonly tokens: TokenService;

  private constructor(
    readonly crm: CrmApiHarness,
    readonly app: INestApplication,
    readonly storage: RecordingStorageConfig,
    private readonly root: string,
  ) {
    this.tokens = new TokenService(crm.config.auth);
  }

  /** shareClock: the recording app runs on crm-api's test clock too (ticket expiry without waiting). */
  static async start(segmentBytes = 4096, rtpengineNg = '', options: { shareClock?: boolean } = {}): Promise<RecordingHarness> {
    const crm = await CrmApiHarness.start();
    const root = mkdtempSync(join(tmpdir(), 'rec-e2e-'));
    const storage: RecordingStorageConfig = {
      spoolDir: join(root, 'spool'),
      storeDir: join(root, 'store'),
      segmentBytes,
      ingestIntervalMs: 0,
      retentionIntervalMs: 0,
      maxCallSeconds: 14_400,
      rtpengineNg,
    };
    const builder = Test.createTestingModule({
      imports: [RecordingModule.forRoot({ ...testPlatformConfig(crm.db.config, crm.config.auth), kms: testKmsConfig(), recording: storage })],
    });
    if (options.shareClock) builder.overrideProvider(Clock).useValue(crm.clock);
    const ref = await builder.compile();
    const app = ref.createNestApplication({ logger: ['error'] });
    configureApp(app, testPlatformConfig(crm.db.config).http, 'recording');
    await app.init();
    return new RecordingHarness(crm, app, storage, root);
  }

  http() {
    return request(this.app.getHttpServer());
  }

  dialerToken(): string {
    return this.tokens.issueServiceToken(ServiceName.Dialer, ServiceName.Recording);
  }

  ingest(): IngestService {
    return this.app.get(IngestService);
  }

  async user(role: Role): Promise<{ user: TestUser; session: SignedIn }> {
    const user = await this.crm.createUser(role);
    return { user, session: await this.crm.signIn(user) };
  }

  async campaign(options: { agentPlayback: boolean; managers?: string[]; agents?: string[] }): Promise<string> {
    const id = randomUUID();
    await this.crm.db.sql(
      `INSERT INTO campaigns (id, name, dial_mode, caller_ids, window_start_hour, window_end_hour, window_days, holidays,
         default_timezone, max_attempts, retry_delays, dispositions, script, agent_playback_allowed, recording_retention_days,
         lead_retention_days)
       VALUES (?, ?, 'preview', '[]', 9, 18, '1,2,3,4,5', '[]', 'UTC', 3, '[]', '[]', '', ?, 30, 365)`,
      [id, `c-${id.slice(0, 8)}`, options.agentPlayback ? 1 : 0],
    );
    for (const userId of options.managers ?? []) {
      await this.crm.db.sql(`INSERT INTO campaign_members (campaign_id, user_id, member_role) VALUES (?, ?, 'manager')`, [id, userId]);
    }
    for (const userId of options.agents ?? []) {
      await this.crm.db.sql(`INSERT INTO campaign_members (campaign_id, user_id, member_role) VALUES (?, ?, 'agent')`, [id, userId]);
    }
    return id;
  }

  /** Registers the call as the dialer would, puts its pcap in the spool and runs one ingest pass. */
  async registerCall(campaignId: string, agentUserId: string, callId = newCallId()): Promise<string> {
    await this.http()
      .post('/recordings/calls')
      .set('Authorization', `Bearer ${this.dialerToken()}`)
      .send({ callId, campaignId, agentUserId, customerAddress: '203.0.113.5:40000', startedAt: new Date().toISOString() })
      .expect(204);
    return callId;
  }

  async recordCall(
    campaignId: string,
    agentUserId: string,
    tone: ToneCallOptions,
    registeredCallId?: string,
  ): Promise<{ recordingId: string; callId: string; expected: Int16Array }> {
    const callId = registeredCallId ?? (await this.registerCall(campaignId, agentUserId));
    const call = toneCall(tone);
    writeSpoolCall(this.storage.spoolDir, callId, call.pcap);
    await this.ingest().ingestPending();
    const rows = await this.crm.db.sql<Array<{ id: string }>>('SELECT id FROM recordings WHERE call_id = ?', [callId]);
    if (rows.length !== 1) throw new Error('call was not ingested');
    return { recordingId: rows[0].id, callId, expected: call.expected };
  }

  storeFile(recordingId: string): string {
    return join(this.storage.storeDir, `${recordingId}.rec`);
  }

  async stop(): Promise<void> {
    await this.app.close();
    await this.crm.stop();
    rmSync(this.root, { recursive: true, force: true });
  }
}
