import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { ContentTypeInterceptor } from './content-type.interceptor';
import { GlobalExceptionFilter } from './global-exception.filter';
import { HttpConfig } from './http.config';

/**
 * What every app's HTTP surface shares: one error shape, JSON-only bodies unless a route says
 * otherwise, and a per-address rate limit. The auth guard is registered by AuthModule, after this.
 */
@Module({})
export class PlatformHttpModule {
  static forRoot(config: HttpConfig): DynamicModule {
    return {
      module: PlatformHttpModule,
      imports: [ThrottlerModule.forRoot([{ name: 'default', ttl: 60_000, limit: config.rateLimitPerMinute }])],
      providers: [
        { provide: APP_FILTER, useClass: GlobalExceptionFilter },
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_INTERCEPTOR, useClass: ContentTypeInterceptor },
      ],
    };
  }
}
