import {
  ArgumentsHost,
  CallHandler,
  Catch,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  RpcExceptionFilter,
  createParamDecorator,
} from '@nestjs/common';
import { RmqContext } from '@nestjs/microservices';
import { Observable, finalize, throwError } from 'rxjs';
import { AppLogger, runWithRequestId } from '@app/observability';
import { isRpcEnvelope } from './rpc-envelope';
import { toRpcException } from './rpc-errors';

/** The payload of an incoming message, taken out of its envelope (validated like a body). */
export const Message = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  const data: unknown = ctx.switchToRpc().getData();
  return isRpcEnvelope(data) ? data.data : data;
});

/** Scopes logs to the caller's request id; on RabbitMQ, acks once the handler is done. */
@Injectable()
export class RpcContextInterceptor implements NestInterceptor {
  constructor(private readonly manualAck: boolean) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const rpc = context.switchToRpc();
    const data: unknown = rpc.getData();
    const requestId = (isRpcEnvelope(data) && data.meta.requestId) || 'rpc';
    const handled = new Observable<unknown>((subscriber) =>
      runWithRequestId(requestId, () => next.handle().subscribe(subscriber)),
    );
    if (!this.manualAck) return handled;
    const rmq = rpc.getContext<RmqContext>();
    return handled.pipe(finalize(() => rmq.getChannelRef().ack(rmq.getMessage())));
  }
}

/** Sends every failure back as {statusCode, error, message}; only real faults are logged. */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  constructor(private readonly logger: AppLogger) {}

  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    const rpcException = toRpcException(exception);
    const body = rpcException.getError() as { statusCode: number };
    if (body.statusCode >= 500) this.logger.error({ err: exception }, 'message handler failed');
    return throwError(() => body);
  }
}
