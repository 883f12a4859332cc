import { HttpException } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { DomainError, ErrorBody, errorBody } from '@app/platform';

/** A failure reported by (or on the way to) a remote service, with its HTTP status. */
export class RemoteError extends DomainError {}

/** The call did not answer in time. */
export class RpcTimeoutError extends RemoteError {
  constructor(pattern: string, timeoutMs: number) {
    super(504, `${pattern} did not answer within ${timeoutMs} ms`);
  }
}

/** The service could not be reached at all. */
export class ServiceUnavailableError extends RemoteError {
  constructor(pattern: string, reason: string) {
    super(503, `${pattern} is unavailable: ${reason}`);
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorBody).statusCode === 'number' &&
    typeof (value as ErrorBody).message === 'string'
  );
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/** Server side: any error becomes an RpcException carrying the HTTP error body. */
export function toRpcException(error: unknown): RpcException {
  if (error instanceof RpcException && isErrorBody(error.getError())) return error;
  if (error instanceof DomainError) return new RpcException(errorBody(error.status, error.message));
  if (error instanceof HttpException) return new RpcException(errorBody(error.getStatus(), messageOf(error)));
  return new RpcException(errorBody(500, 'Internal server error'));
}

/** Client side: what came back on the error channel, as a RemoteError. */
export function fromRpcError(pattern: string, error: unknown): RemoteError {
  if (error instanceof RemoteError) return error;
  if (isErrorBody(error)) return new RemoteError(error.statusCode, error.message);
  const message = error instanceof Error ? error.message : JSON.stringify(error);
  if (/no (matching )?(message )?handler/i.test(message)) return new RemoteError(501, `${pattern} has no handler`);
  return new ServiceUnavailableError(pattern, message);
}
