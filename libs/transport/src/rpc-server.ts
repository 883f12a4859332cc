import {
  ArgumentsHost,
  BadRequestException,
  CallHandler,
  Catch,
  ExceptionFilter,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  createParamDecorator,
} from '@nestjs/common';
import { RmqContext } from '@nestjs/microservices';
import { Observable, finalize, throwError } from 'rxjs';
import { ApplyEventsDto, RelayedEvent, RelayedEventDto } from '@app/contracts';
import { AppLogger, runWithRequestId } from '@app/observability';
import { HttpExceptionFilter, shallowValidationProblem } from '@app/platform';
import { isRpcEnvelope } from './rpc-envelope';
import { toRpcException } from './rpc-errors';

function payloadOf(ctx: ExecutionContext): unknown {
  const data: unknown = ctx.switchToRpc().getData();
  return isRpcEnvelope(data) ? data.data : data;
}

/** The payload of an incoming message, taken out of its envelope (validated like a body). */
export const Message = createParamDecorator((_: unknown, ctx: ExecutionContext) => payloadOf(ctx));

/**
 * The events of an applyEvents message, checked: the envelope as an
 * ApplyEventsDto, then each event as a RelayedEventDto where it is. (The
 * global pipe would first copy every payload value by value, which cost a
 * service more CPU than applying the events.)
 */
export const Delivery = createParamDecorator((_: unknown, ctx: ExecutionContext): RelayedEvent[] => {
  const delivery = payloadOf(ctx);
  if (typeof delivery !== 'object' || delivery === null) throw new BadRequestException('a delivery must be an object');
  const problem =
    shallowValidationProblem(ApplyEventsDto, delivery) ??
    (delivery as ApplyEventsDto).events
      .map((event, index) => shallowValidationProblem(RelayedEventDto, event, `events.${index}: `))
      .find((found) => found !== undefined);
  if (problem !== undefined) throw new BadRequestException(problem);
  return (delivery as ApplyEventsDto).events;
});

/** Scopes logs to the caller's request id; on RabbitMQ, acks once the handler is done. */
@Injectable()
export class RpcContextInterceptor implements NestInterceptor {
  constructor(private readonly manualAck: boolean) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
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

/**
 * Sends every failure back as {statusCode, error, message}; only real faults
 * are logged. A service's HTTP side shares its global filters, so HTTP errors
 * are handed to the HTTP filter.
 */
@Catch()
export class RpcErrorFilter implements ExceptionFilter {
  private readonly http: HttpExceptionFilter;

  constructor(private readonly logger: AppLogger) {
    this.http = new HttpExceptionFilter(logger);
  }

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() !== 'rpc') return this.http.catch(exception, host);
    const rpcException = toRpcException(exception);
    const body = rpcException.getError() as { statusCode: number };
    if (body.statusCode >= 500) this.logger.error({ err: exception }, 'message handler failed');
    return throwError(() => body);
  }
}
