import { ClientProxy } from '@nestjs/microservices';
import { lastValueFrom, throwError, timer } from 'rxjs';
import { catchError, retry, timeout } from 'rxjs/operators';
import { currentRequestId } from '@app/observability';
import { RemoteError, RpcTimeoutError, ServiceUnavailableError, fromRpcError } from './rpc-errors';
import { RpcEnvelope } from './rpc-envelope';
import { ServiceName } from './services';
import { instancePattern } from './transport-options';

export interface SendOptions {
  /** Safe to repeat: only such calls are retried after a timeout or a lost connection. */
  idempotent?: boolean;
  timeoutMs?: number;
}

/**
 * The one way to call a service: adds the request id, a timeout, bounded
 * retries for idempotent calls, and maps remote errors to RemoteError.
 */
export class ServiceClient {
  constructor(
    readonly service: ServiceName,
    private readonly proxy: ClientProxy,
    private readonly defaults: { timeoutMs: number; retries: number },
    /** Set for a client of a service's second instance, whose patterns carry it. */
    readonly version?: string,
  ) {}

  send<T>(contractPattern: string, data: unknown, options: SendOptions = {}): Promise<T> {
    const pattern = instancePattern(contractPattern, this.version);
    const timeoutMs = options.timeoutMs ?? this.defaults.timeoutMs;
    const envelope: RpcEnvelope = { data, meta: { requestId: currentRequestId() } };
    const retryable = (error: RemoteError) =>
      error instanceof RpcTimeoutError || error instanceof ServiceUnavailableError;
    return lastValueFrom(
      this.proxy.send<T, RpcEnvelope>(pattern, envelope).pipe(
        timeout({ first: timeoutMs, with: () => throwError(() => new RpcTimeoutError(pattern, timeoutMs)) }),
        catchError((error: unknown) => throwError(() => fromRpcError(pattern, error))),
        retry({
          count: options.idempotent ? this.defaults.retries : 0,
          delay: (error: RemoteError, attempt) =>
            retryable(error) ? timer(50 * 2 ** attempt) : throwError(() => error),
        }),
      ),
      // A handler that returns nothing answers with no value at all.
      { defaultValue: undefined as T },
    );
  }

  async connect(): Promise<void> {
    await this.proxy.connect();
  }

  async close(): Promise<void> {
    await this.proxy.close();
  }
}
