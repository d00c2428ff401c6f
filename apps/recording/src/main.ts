import 'reflect-metadata';
import { bootstrap } from '@app/platform';
import { loadRecordingConfig } from './recording.config';
import { RecordingModule } from './recording.module';

void bootstrap('recording', () => {
  const config = loadRecordingConfig();
  return { http: config.http, module: RecordingModule.forRoot(config) };
});
