import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { httpsOptions, normaliseIp, RequestContext } from '@app/http';
import { ConsoleAppConfig } from './console.config';
import { ConsoleModule } from './console.module';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * The pages' policy: everything from this origin only, no inline script or style, no framing. The
 * QR code of MFA enrolment is a data: image; audio comes from this origin (the proxy).
 */
export const CONSOLE_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  mediaSrc: ["'self'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Creates the console app (not listening): used by main.ts and by the browser tests alike. */
export async function createConsoleApp(config: ConsoleAppConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ConsoleModule.forRoot(config), {
    httpsOptions: httpsOptions(config.http),
    // Bodies are streamed to the apps untouched (CSV uploads, JSON): nothing is parsed here.
    bodyParser: false,
    logger: config.http.nodeEnv === 'test' ? ['error'] : ['error', 'warn', 'log'],
  });
  app.set('trust proxy', config.http.trustProxy.length > 0 ? config.http.trustProxy : false);
  app.disable('x-powered-by');
  app.use((req: Request, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    RequestContext.run({ requestId, sourceIp: normaliseIp(req.ip) }, next);
  });
  app.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: CONSOLE_CSP },
      crossOriginResourcePolicy: { policy: 'same-origin' },
      crossOriginOpenerPolicy: { policy: 'same-origin' },
      referrerPolicy: { policy: 'no-referrer' },
      frameguard: { action: 'deny' },
      hsts: { maxAge: 31_536_000, includeSubDomains: true },
    }),
  );
  app.use((_req: Request, res: Response, next: NextFunction) => {
    // Microphone for the softphone (to come); nothing else a call-center page needs.
    res.setHeader('Permissions-Policy', 'camera=(), geolocation=(), payment=(), usb=(), microphone=(self)');
    next();
  });
  // Hashed bundles may be cached; the page itself and everything else is never stored.
  app.useStaticAssets(join(config.console.webDir, 'assets'), { prefix: '/assets/', immutable: true, maxAge: '365d', index: false, fallthrough: true });
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    if ((req.method === 'GET' || req.method === 'HEAD') && req.path === '/') {
      res.sendFile(join(config.console.webDir, 'index.html'), (error) => error && next(error));
      return;
    }
    next();
  });
  app.enableShutdownHooks();
  // Uploads of large lead lists pass through here: allow an hour, as the apps do.
  (app.getHttpServer() as import('node:http').Server).requestTimeout = 60 * 60 * 1000;
  return app;
}
