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
  // Node ends any request after 5 minutes by default, which cut off large lead-list uploads (they are
  // streamed and imported as they arrive). Allow an hour; slow-header attacks stay bounded by
  // headersTimeout (60 s), and idle keep-alive sockets by keepAliveTimeout.
  const server = app.getHttpServer() as import('node:http').Server;
  server.requestTimeout = 60 * 60 * 1000;
  await app.listen(loaded.http.httpPort, loaded.http.httpHost);
  new Logger(title).log(`listening on ${loaded.http.tlsDisabled ? 'http' : 'https'}://${loaded.http.httpHost}:${loaded.http.httpPort}`);
  return app;
}
