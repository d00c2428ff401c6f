import { Controller, Get, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AuthConfig, TokenService } from '@app/auth';
import { Secret } from '@app/config';
import { ServiceName } from '@app/domain';
import { configureApp } from '@app/http';
import { PlatformModule } from '@app/platform';
import { RecordingModule } from '../../../apps/recording/src/recording.module';
import { createTestDatabase, TestDatabase } from '../../utils/test-database';
import { testAuthConfig, testKmsConfig, testPlatformConfig } from '../../utils/test-config';

/** A route someone forgot to declare. */
@Controller('forgotten')
class ForgottenController {
  @Get()
  secret() {
    return { leaked: true };
  }
}

describe('calls between the apps (service tokens)', () => {
  let db: TestDatabase;
  let auth: AuthConfig;
  let recording: INestApplication;
  let tokens: TokenService;

  beforeAll(async () => {
    db = await createTestDatabase('svc');
    auth = testAuthConfig();
    const ref = await Test.createTestingModule({
      imports: [RecordingModule.forRoot({ ...testPlatformConfig(db.config, auth), kms: testKmsConfig() })],
      controllers: [ForgottenController],
    }).compile();
    recording = ref.createNestApplication({ logger: ['error'] });
    configureApp(recording, testPlatformConfig(db.config).http, 'recording');
    await recording.init();
    tokens = new TokenService(auth);
  });
  afterAll(async () => {
    await recording.close();
    await db.drop();
  });

  const status = (token?: string) => {
    const req = request(recording.getHttpServer()).get('/internal/status');
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  };

  it('accepts a token the dialer minted for the recording service', async () => {
    const res = await status(tokens.issueServiceToken(ServiceName.Dialer, ServiceName.Recording)).expect(200);
    expect(res.body.service).toBe('recording');
  });

  it('refuses no token, a token for another audience, and one signed with another secret', async () => {
    await status().expect(401);
    await status(tokens.issueServiceToken(ServiceName.Dialer, ServiceName.CrmApi)).expect(401);
    const stranger = new TokenService({ ...auth, serviceTokenSecret: new Secret('x'.repeat(40)) });
    await status(stranger.issueServiceToken(ServiceName.Dialer, ServiceName.Recording)).expect(401);
    // A user-token secret cannot sign a service token either.
    const confused = new TokenService({ ...auth, serviceTokenSecret: auth.jwtSecret });
    await status(confused.issueServiceToken(ServiceName.Dialer, ServiceName.Recording)).expect(401);
  });

  it('refuses a route that declares no permission to everyone, and audits it', async () => {
    const res = await request(recording.getHttpServer())
      .get('/forgotten')
      .set('Authorization', `Bearer ${tokens.issueServiceToken(ServiceName.Dialer, ServiceName.Recording)}`)
      .expect(403);
    expect(res.body.error).toBe('route_not_declared');
    expect(JSON.stringify(res.body)).not.toContain('leaked');
    const rows = await db.sql<Array<{ action: string; target_id: string }>>("SELECT action, target_id FROM audit_log WHERE action = 'access.undeclared_route'");
    expect(rows).toEqual([{ action: 'access.undeclared_route', target_id: 'GET /forgotten' }]);
  });

  it('PlatformModule is what every app is built on (the guard is global)', () => {
    expect(recording.get(PlatformModule)).toBeDefined();
  });
});
