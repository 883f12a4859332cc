import type { ServerResponse } from 'node:http';
import { errorBody } from '@app/platform';

export const SERVED_BY_HEADER = 'x-served-by';
export const FALLBACK_HEADER = 'x-fallback';
/** x-served-by of answers the gateway writes itself. */
export const GATEWAY = 'gateway';

/**
 * A target failed before answering. `delivered`: the request may have
 * reached it, so it may have been applied. The message is shown to the
 * client; `detail` (addresses, system errors) goes to the log only.
 */
export class UpstreamFailure extends Error {
  constructor(
    readonly status: 502 | 503 | 504,
    message: string,
    readonly delivered: boolean,
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** The target answered 5xx: a failure for its breaker, while the answer itself goes on to the client. */
export class UpstreamErrorAnswer extends Error {}

/** Answers with the JSON error shape, or cuts the connection if an answer has already begun. */
export function writeFailure(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(errorBody(status, message));
  res.statusCode = status;
  res.setHeader(SERVED_BY_HEADER, GATEWAY);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}
