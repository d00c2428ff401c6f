import { randomBytes, randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AuthConfig } from '@app/auth';
import { Secret } from '@app/config';
import { AnomalyConfig } from '../../apps/crm-api/src/anomaly/anomaly.config';
import { KmsRepository, PasswordHasher, totpAt } from '@app/crypto';
import { Clock, Role } from '@app/domain';
import { configureApp } from '@app/http';
import { CrmApiConfig } from '../../apps/crm-api/src/crm-api.config';
import { CrmApiModule } from '../../apps/crm-api/src/crm-api.module';
import { MFA_KEY_ID } from '../../apps/crm-api/src/identity/mfa.service';
import { UserRepository } from '../../apps/crm-api/src/identity/user.repository';
import { createTestDatabase, TestDatabase } from './test-database';
import { TestClock } from './test-clock';
import { testAuthConfig, testHttpConfig, testKmsConfig } from './test-config';

export interface TestUser {
  id: string;
  username: string;
  password: string;
  role: Role;
  totpSecret: Buffer;
}

export interface SignedIn {
  accessToken: string;
  refreshToken: string;
  sessionId: string;
}

/**
 * crm-api as it runs in production (same module, same configureApp: validation, guards, filters),
 * on a fresh migrated database, with a clock the test controls.
 */
export class CrmApiHarness {
  private constructor(
    readonly app: INestApplication,
    readonly db: TestDatabase,
    readonly clock: TestClock,
    readonly config: CrmApiConfig,
  ) {}

  static async start(options: { auth?: AuthConfig; anomaly?: AnomalyConfig } = {}): Promise<CrmApiHarness> {
    const db = await createTestDatabase('crm');
    const config: CrmApiConfig = {
      http: testHttpConfig(),
      database: db.config,
      auth: options.auth ?? testAuthConfig(),
      kms: testKmsConfig(),
      identity: { lockoutThreshold: 5, lockoutMinutes: 15, maxFailuresPerHour: 100, sessionMaxHours: 12, mfaIssuer: 'CallCenterTest' },
      blindIndex: { blindIndexKey: new Secret(randomBytes(32).toString('base64')) },
      anomaly: options.anomaly ?? { rules: [{ kind: 'lead_read', threshold: 100, windowSeconds: 300 }], webhookUrl: '' },
      retention: { intervalMinutes: 60 },
    };
    const clock = new TestClock();
    const moduleRef = await Test.createTestingModule({ imports: [CrmApiModule.forRoot(config)] })
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    const app = moduleRef.createNestApplication({ logger: ['error'] });
    configureApp(app, config.http, 'crm-api');
    await app.init();
    return new CrmApiHarness(app, db, clock, config);
  }

  http() {
    return request(this.app.getHttpServer());
  }

  /** Puts a user straight into the database, with MFA already enrolled unless told otherwise. */
  async createUser(role: Role, options: { mfa?: boolean; username?: string } = {}): Promise<TestUser> {
    const users = this.app.get(UserRepository);
    const hasher = this.app.get(PasswordHasher);
    const kms = this.app.get(KmsRepository);
    const id = randomUUID();
    const username = options.username ?? `${role}-${id.slice(0, 8)}`;
    const password = `Pw-${randomUUID()}`;
    await users.create({ id, username, displayName: `Test ${role}`, role, passwordHash: await hasher.hash(password) });
    const totpSecret = Buffer.from(randomUUID().replace(/-/g, '').slice(0, 20));
    if (options.mfa !== false) {
      await users.setPendingMfa(id, await kms.encrypt(MFA_KEY_ID, totpSecret, `users:${id}:mfa_secret`));
      await users.activatePendingMfa(id, 0);
    }
    return { id, username, password, role, totpSecret };
  }

  /** A code for the next 30-second step: the clock moves on so every code is fresh (replays are refused). */
  nextCode(user: TestUser): string {
    this.clock.advance(30_000);
    return totpAt(user.totpSecret, this.clock.now().getTime());
  }

  async signIn(user: TestUser, ip = '198.51.100.10'): Promise<SignedIn> {
    const login = await this.http().post('/auth/login').set('X-Forwarded-For', ip).send({ username: user.username, password: user.password });
    if (login.status !== 200 || login.body.status !== 'mfa_required') {
      throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
    }
    const verified = await this.http()
      .post('/auth/mfa/verify')
      .set('X-Forwarded-For', ip)
      .send({ challengeToken: login.body.challengeToken, code: this.nextCode(user) });
    if (verified.status !== 200) throw new Error(`mfa failed: ${verified.status} ${JSON.stringify(verified.body)}`);
    return verified.body as SignedIn;
  }

  async reauth(user: TestUser, signedIn: SignedIn): Promise<void> {
    const res = await this.http()
      .post('/auth/reauth')
      .set('Authorization', `Bearer ${signedIn.accessToken}`)
      .send({ password: user.password, code: this.nextCode(user) });
    if (res.status !== 204) throw new Error(`reauth failed: ${res.status} ${JSON.stringify(res.body)}`);
  }

  async auditRows(where = '1=1', params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
    return this.db.sql(`SELECT * FROM audit_log WHERE ${where} ORDER BY seq`, params);
  }

  async stop(): Promise<void> {
    await this.app.close();
    await this.db.drop();
  }
}
