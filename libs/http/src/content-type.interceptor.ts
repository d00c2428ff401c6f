import {
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { ACCEPT_CONTENT_TYPES } from './accept-content-type.decorator';

const DEFAULT_TYPES = ['application/json'];

/** A request that carries a body must say it is of a type the route accepts; otherwise 415. */
@Injectable()
export class ContentTypeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    if (hasBody(request)) {
      const accepted =
        this.reflector.getAllAndOverride<string[]>(ACCEPT_CONTENT_TYPES, [context.getHandler(), context.getClass()]) ??
        DEFAULT_TYPES;
      const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (!accepted.includes(type)) {
        throw new UnsupportedMediaTypeException(`Content-Type must be one of: ${accepted.join(', ')}`);
      }
    }
    return next.handle();
  }
}

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return request.headers['transfer-encoding'] !== undefined;
}
