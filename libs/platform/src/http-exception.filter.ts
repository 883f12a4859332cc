import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import type { AppLogger } from '@app/observability';
import { DomainError } from './domain-error';
import { errorBody } from './error-body';

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/** Renders every error as {statusCode, error, message}; only real faults are 5xx. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: AppLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let status = 500;
    let message = 'Internal server error';
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      message = messageOf(exception);
    } else if (exception instanceof DomainError) {
      status = exception.status;
      message = exception.message;
    }
    if (status >= 500) this.logger.error({ err: exception }, 'request failed');
    if (res.headersSent) return;
    res.status(status).json(errorBody(status, message));
  }
}
