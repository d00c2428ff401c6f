import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { RequestContext } from '@app/http';
import type { ClientInfo } from './auth.service';

/** The caller's address (as the trusted-proxy setting resolves it) and user agent. */
export const Client = createParamDecorator((_data: unknown, context: ExecutionContext): ClientInfo => {
  const request = context.switchToHttp().getRequest<Request>();
  const userAgent = request.headers['user-agent'];
  return { ip: RequestContext.current()?.sourceIp ?? null, userAgent: typeof userAgent === 'string' ? userAgent : null };
});
