import 'reflect-metadata';
import { bootstrap } from '@app/platform';
import { loadCrmApiConfig } from './crm-api.config';
import { CrmApiModule } from './crm-api.module';

void bootstrap('crm-api', () => {
  const config = loadCrmApiConfig();
  return { http: config.http, module: CrmApiModule.forRoot(config) };
});
