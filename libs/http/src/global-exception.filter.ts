import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { DomainException, failureKindToHttpStatus } from './domain.exception';
import { RequestContext } from './request-context';

export interface FieldError {
  field: string;
  messages: string[];
}

/** The one error body every app answers with. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  requestId: string | null;
  fields?: FieldError[];
}

export class InvalidInputException extends HttpException {
  constructor(readonly fields: FieldError[]) {
    super('Invalid input', HttpStatus.BAD_REQUEST);
  }
}

const HTTP_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  416: 'range_not_satisfiable',
  423: 'locked',
  429: 'too_many_requests',
  503: 'unavailable',
};

/**
 * Turns every error into one body shape with the request id. Anything unexpected becomes a generic
 * 500; its details go to the server log only, and without the error's message, which for driver
 * errors can quote the values of the row (personal data).
 */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const requestId = RequestContext.current()?.requestId ?? (request.headers['x-request-id'] as string) ?? null;
    const body = this.toBody(exception, requestId);
    if (body.statusCode >= 500) {
      const error = exception instanceof Error ? exception : new Error('non-error thrown');
      const frames = (error.stack ?? '').split('\n').slice(1, 8).join('\n');
      this.logger.error(`request ${requestId} failed: ${error.name}${codeOf(error)}\n${frames}`);
    }
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, requestId: string | null): ErrorBody {
    if (exception instanceof DomainException) {
      return {
        statusCode: failureKindToHttpStatus(exception.kind),
        error: exception.code,
        message: exception.publicMessage,
        requestId,
      };
    }
    if (exception instanceof InvalidInputException) {
      return { statusCode: 400, error: 'invalid_input', message: 'Invalid input', requestId, fields: exception.fields };
    }
    if (exception instanceof ThrottlerException) {
      return { statusCode: 429, error: 'too_many_requests', message: 'Too many requests', requestId };
    }
    // configureApp maps the JSON parser's errors; any other raw http-errors object gets a plain message.
    if (isBodyParserError(exception)) {
      const status = exception.status;
      return {
        statusCode: status,
        error: HTTP_CODES[status] ?? 'bad_request',
        message: status === 413 ? 'Request body too large' : 'Malformed request body',
        requestId,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return {
        statusCode: status,
        error: HTTP_CODES[status] ?? (status >= 500 ? 'internal_error' : 'error'),
        message: status >= 500 ? 'Internal error' : publicHttpMessage(exception),
        requestId,
      };
    }
    return { statusCode: 500, error: 'internal_error', message: 'Internal error', requestId };
  }
}

function publicHttpMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return exception.message;
}

function isBodyParserError(e: unknown): e is { status: number; type: string } {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { status?: unknown }).status === 'number' &&
    typeof (e as { type?: unknown }).type === 'string' &&
    (e as { status: number }).status >= 400 &&
    (e as { status: number }).status < 500
  );
}

function codeOf(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? ` (${code})` : '';
}
