import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { currentRequestId } from './request-context';

export type AppLogger = Logger;

const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)[^@/\s"]*@/gi;

/** Hides the user and password of every URL in a log line (`mongodb://user:pass@host` -> `mongodb://***@host`). */
export function maskCredentials(line: string): string {
  return line.includes('://') ? line.replace(URL_CREDENTIALS, '$1***@') : line;
}

/** One JSON logger per process; every line carries the current request id. */
export function createLogger(service: string, level: string): AppLogger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Whatever carries a connection URL (config, driver errors), the line written never shows its credentials.
    hooks: { streamWrite: maskCredentials },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  });
}

/** Routes Nest's own log calls into the process logger. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: AppLogger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
