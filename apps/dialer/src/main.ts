import 'reflect-metadata';
import { bootstrap } from '@app/platform';
import { loadDialerConfig } from './dialer.config';
import { DialerModule } from './dialer.module';

void bootstrap('dialer', () => {
  const config = loadDialerConfig();
  return { http: config.http, module: DialerModule.forRoot(config) };
});
