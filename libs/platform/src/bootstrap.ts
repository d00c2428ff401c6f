import { DynamicModule, INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError } from '@app/config';
import { configureApp, HttpConfig, httpsOptions } from '@app/http';

/**
 * Starts an app from its loaded configuration. A configuration error stops the process with a
 * message naming each bad variable (never a value).
 */
export async function bootstrap(
  title: string,
  load: () => { http: HttpConfig; module: DynamicModule },
): Promise<INestApplication> {
  let loaded: ReturnType<typeof load>;
  try {
    loaded = load();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${title}: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const app = await NestFactory.create(loaded.module, {
    httpsOptions: httpsOptions(loaded.http),
    logger: ['error', 'warn', 'log'],
  });
  configureApp(app, loaded.http, title);
  await app.listen(loaded.http.httpPort, loaded.http.httpHost);
  new Logger(title).log(`listening on ${loaded.http.tlsDisabled ? 'http' : 'https'}://${loaded.http.httpHost}:${loaded.http.httpPort}`);
  return app;
}
