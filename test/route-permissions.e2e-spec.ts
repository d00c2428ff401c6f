import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { Role } from '@app/domain';
import { configureApp } from '@app/http';
import { DialerModule } from '../apps/dialer/src/dialer.module';
import { RecordingModule } from '../apps/recording/src/recording.module';
import { CrmApiHarness } from './utils/crm-api-harness';
import { listRoutes } from './utils/route-listing';
import { testDialerConfig, testKmsConfig, testPlatformConfig } from './utils/test-config';

/**
 * Every route of every app, with the permission it declares. A new route without a declaration
 * fails here; a change of access shows up as a change of the snapshot, in review.
 */
describe('route permission declarations', () => {
  let crm: CrmApiHarness;
  let dialer: INestApplication;
  let recording: INestApplication;

  beforeAll(async () => {
    crm = await CrmApiHarness.start();
    const platform = testPlatformConfig(crm.db.config, crm.config.auth);
    dialer = await boot(DialerModule.forRoot(testDialerConfig(platform)));
    recording = await boot(RecordingModule.forRoot({ ...platform, kms: testKmsConfig() }));
  });
  afterAll(async () => {
    await dialer.close();
    await recording.close();
    await crm.stop();
  });

  async function boot(module: ReturnType<typeof DialerModule.forRoot>): Promise<INestApplication> {
    const ref = await Test.createTestingModule({ imports: [module] }).compile();
    const app = ref.createNestApplication({ logger: ['error'] });
    configureApp(app, testPlatformConfig(crm.db.config).http, 'test');
    await app.init();
    return app;
  }

  it('lists every route with its declared permission, and none is undeclared', () => {
    const listing = {
      'crm-api': listRoutes(crm.app),
      dialer: listRoutes(dialer),
      recording: listRoutes(recording),
    };
    const undeclared = Object.entries(listing).flatMap(([app, routes]) =>
      routes.filter((r) => r.access === 'UNDECLARED').map((r) => `${app} ${r.route}`),
    );
    expect(undeclared).toEqual([]);
    const text = Object.entries(listing)
      .flatMap(([app, routes]) => routes.map((r) => `${app.padEnd(9)} ${r.route.padEnd(40)} ${r.access}`))
      .join('\n');
    expect(text).toMatchSnapshot();
  });

  it('answers 401 on every non-open route when no token is given', async () => {
    for (const app of [crm.app, dialer, recording]) {
      for (const { route, access } of listRoutes(app)) {
        if (access.startsWith('open:')) continue;
        const [method, path] = route.split(' ');
        const concrete = path.replace(/:[a-zA-Z]+/g, '00000000-0000-4000-8000-000000000000');
        const res = await request(app.getHttpServer())[method.toLowerCase() as 'get'](concrete);
        expect({ route, status: res.status }).toEqual({ route, status: 401 });
      }
    }
  });

  it('a user token is not a service token: internal status refuses people, even admins', async () => {
    const admin = await crm.createUser(Role.Admin);
    const session = await crm.signIn(admin);
    await request(recording.getHttpServer()).get('/internal/status').set('Authorization', `Bearer ${session.accessToken}`).expect(403);
    // The same user token is valid on the other apps for routes the role has (one identity across apps).
    await request(dialer.getHttpServer()).get('/internal/status').expect(401);
  });
});
