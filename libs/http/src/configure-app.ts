import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BadRequestException, INestApplication, PayloadTooLargeException, ValidationError, ValidationPipe } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { FieldError, InvalidInputException } from './global-exception.filter';
import { HttpConfig } from './http.config';
import { RequestContext } from './request-context';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Reads the TLS key pair for NestFactory.create(..., { httpsOptions }). */
export function httpsOptions(config: HttpConfig): { cert: Buffer; key: Buffer } | undefined {
  if (config.tlsDisabled) return undefined;
  return { cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) };
}

/**
 * Everything an app needs between the socket and its controllers: request ids and context, security
 * headers, body limits, validation and the OpenAPI document. Used by main.ts and by the e2e tests, so
 * the tests exercise exactly what production runs.
 */
export function configureApp(app: INestApplication, config: HttpConfig, title: string): void {
  const express = app as NestExpressApplication;
  express.set('trust proxy', config.trustProxy.length > 0 ? config.trustProxy : false);
  express.disable('x-powered-by');
  app.use((req: Request, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    RequestContext.run({ requestId, sourceIp: normaliseIp(req.ip) }, next);
  });
  express.useBodyParser('json', { limit: '1mb' });
  // The parser's own messages can quote the body (personal data): replace them before Nest sees them.
  app.use((error: unknown, _req: Request, _res: Response, next: NextFunction) => {
    const type = (error as { type?: unknown } | null)?.type;
    if (type === 'entity.too.large') return next(new PayloadTooLargeException('Request body too large'));
    if (typeof type === 'string' && type.startsWith('entity.') || error instanceof SyntaxError) {
      return next(new BadRequestException('Malformed request body'));
    }
    next(error);
  });

  const strict = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
    },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: { maxAge: 31_536_000, includeSubDomains: true },
  });
  // Swagger UI is a page, not an API answer: it needs its own scripts, styles and inline images.
  const docs = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.use((req: Request, res: Response, next: NextFunction) =>
    (req.path === '/docs' || req.path.startsWith('/docs/') || req.path.startsWith('/docs-') ? docs : strict)(req, res, next),
  );
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
      exceptionFactory: (errors) => new InvalidInputException(flatten(errors)),
    }),
  );
  app.enableShutdownHooks();

  if (config.docsEnabled) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(title)
        .setDescription('Every operation lists the permission it requires; "open" operations say so.')
        .addBearerAuth()
        .build(),
    );
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  }
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** '::ffff:10.0.0.1' and '10.0.0.1' are one address for audit and allowlists. */
export function normaliseIp(ip: string | undefined): string | null {
  if (!ip) return null;
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}
