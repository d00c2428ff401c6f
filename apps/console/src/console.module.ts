import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { GlobalExceptionFilter } from '@app/http';
import { ConsoleAccessGuard } from './console-access.guard';
import { ConsoleAppConfig, ConsoleConfig } from './console.config';
import { ConsoleHealthController } from './health/console-health.controller';
import { ProxyController } from './proxy/proxy.controller';
import { HttpUpstreamProxyRepository, UpstreamProxyRepository } from './proxy/upstream-proxy.repository';

/** The web console: its pages (static, see console-app.ts) and a same-origin proxy to the apps. No database. */
@Module({})
export class ConsoleModule {
  static forRoot(config: ConsoleAppConfig): DynamicModule {
    const c = config.console;
    return {
      module: ConsoleModule,
      controllers: [ConsoleHealthController, ProxyController],
      providers: [
        { provide: ConsoleConfig, useValue: c },
        {
          provide: UpstreamProxyRepository,
          useValue: new HttpUpstreamProxyRepository({ crm: c.crmApiUrl, recording: c.recordingUrl, dialer: c.dialerUrl }, c.upstreamCaFile),
        },
        { provide: APP_GUARD, useClass: ConsoleAccessGuard },
        { provide: APP_FILTER, useClass: GlobalExceptionFilter },
      ],
    };
  }
}
