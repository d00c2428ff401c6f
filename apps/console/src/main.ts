import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError } from '@app/config';
import { ConsoleAppConfig, loadConsoleConfig } from './console.config';
import { createConsoleApp } from './console-app';

/** The web console: built pages and a same-origin proxy to crm-api, recording and dialer. */
async function main(): Promise<void> {
  let config: ConsoleAppConfig;
  try {
    config = loadConsoleConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`console: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const app = await createConsoleApp(config);
  await app.listen(config.http.httpPort, config.http.httpHost);
  new Logger('console').log(`listening on ${config.http.tlsDisabled ? 'http' : 'https'}://${config.http.httpHost}:${config.http.httpPort}`);
}

void main();
