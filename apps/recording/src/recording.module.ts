import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { KmsRepository, LocalKmsRepository } from '@app/crypto';
import { ServiceName } from '@app/domain';
import { PlatformModule } from '@app/platform';
import { CallRegistryRepository, TypeormCallRegistryRepository } from './calls/call-registry.repository';
import { RecordingControlController } from './calls/recording-control.controller';
import { RecordingControlService } from './calls/recording-control.service';
import {
  DisabledRtpengineControlRepository,
  NgRtpengineControlRepository,
  RtpengineControlRepository,
} from './calls/rtpengine-control.repository';
import { FsSpoolRepository } from './ingest/fs-spool.repository';
import { IngestService } from './ingest/ingest.service';
import { IngestWorker } from './ingest/ingest.worker';
import { SpoolRepository } from './ingest/spool.repository';
import { KeyController } from './keys/key.controller';
import { KeyRotationService } from './keys/key-rotation.service';
import { PlaybackService } from './playback/playback.service';
import {
  InMemoryPlaybackTicketRepository,
  PlaybackSessionRepository,
  PlaybackTicketRepository,
  TypeormPlaybackSessionRepository,
} from './playback/playback-ticket.repository';
import { PlaybackTicketService } from './playback/playback-ticket.service';
import { QaController } from './qa/qa.controller';
import { QaRepository, TypeormQaRepository } from './qa/qa.repository';
import { QaService } from './qa/qa.service';
import { RecordingConfig, RecordingStorageConfig, routesOnlyStorageConfig } from './recording.config';
import { RecordingController } from './recordings/recording.controller';
import { RecordingRepository } from './recordings/recording.repository';
import { RecordingService } from './recordings/recording.service';
import { RetentionService } from './recordings/retention.service';
import { RetentionWorker } from './recordings/retention.worker';
import { TypeormRecordingRepository } from './recordings/typeorm-recording.repository';
import { FsRecordingStoreRepository } from './store/fs-recording-store.repository';
import { RecordingStoreRepository } from './store/recording-store.repository';

/** Call audio encrypted at rest, and audited playback. */
@Module({})
export class RecordingModule {
  static forRoot(config: RecordingConfig): DynamicModule {
    const storage = config.recording ?? routesOnlyStorageConfig();
    return {
      module: RecordingModule,
      imports: [PlatformModule.forRoot({ service: ServiceName.Recording, http: config.http, database: config.database, auth: config.auth })],
      controllers: [RecordingController, RecordingControlController, KeyController, QaController],
      providers: [
        { provide: RecordingStorageConfig, useValue: storage },
        {
          provide: KmsRepository,
          inject: [DataSource],
          useFactory: (db: DataSource) => new LocalKmsRepository(Buffer.from(config.kms.kmsMasterKey.reveal(), 'base64'), db),
        },
        { provide: RecordingRepository, useClass: TypeormRecordingRepository },
        { provide: CallRegistryRepository, useClass: TypeormCallRegistryRepository },
        { provide: RecordingStoreRepository, useValue: new FsRecordingStoreRepository(storage.storeDir) },
        { provide: SpoolRepository, useValue: new FsSpoolRepository(storage.spoolDir) },
        {
          provide: RtpengineControlRepository,
          useValue: storage.rtpengineNg ? new NgRtpengineControlRepository(storage.rtpengineNg) : new DisabledRtpengineControlRepository(),
        },
        { provide: QaRepository, useClass: TypeormQaRepository },
        { provide: PlaybackTicketRepository, useValue: new InMemoryPlaybackTicketRepository() },
        { provide: PlaybackSessionRepository, useClass: TypeormPlaybackSessionRepository },
        PlaybackTicketService,
        QaService,
        RecordingControlService,
        IngestService,
        IngestWorker,
        PlaybackService,
        RetentionService,
        RetentionWorker,
        RecordingService,
        KeyRotationService,
      ],
    };
  }
}
