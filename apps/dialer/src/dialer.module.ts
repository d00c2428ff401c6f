import { DynamicModule, Module } from '@nestjs/common';
import { ServiceName } from '@app/domain';
import { PlatformConfig, PlatformModule } from '@app/platform';

/** Campaign pacing and call control (SIP over TLS through drachtio, media through rtpengine). */
@Module({})
export class DialerModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: DialerModule,
      imports: [PlatformModule.forRoot({ service: ServiceName.Dialer, ...config })],
    };
  }
}
