import 'reflect-metadata';
import { bootstrap, loadPlatformConfig } from '@app/platform';
import { DialerModule } from './dialer.module';

void bootstrap('dialer', () => {
  const config = loadPlatformConfig({});
  return { http: config.http, module: DialerModule.forRoot(config) };
});
