import { DynamicModule, Module } from '@nestjs/common';
import { ServiceName } from '@app/domain';
import { PlatformModule } from '@app/platform';
import { RecordingConfig } from './recording.config';

/** Call audio encrypted at rest, and audited playback. */
@Module({})
export class RecordingModule {
  static forRoot(config: RecordingConfig): DynamicModule {
    return {
      module: RecordingModule,
      imports: [PlatformModule.forRoot({ service: ServiceName.Recording, http: config.http, database: config.database, auth: config.auth })],
    };
  }
}
