import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Target, TargetType } from '../routes/route-table';

export interface TargetHealth {
  status: 'up' | 'down';
  detail?: string;
}

/**
 * Serves requests on one type of target. `serve` settles once the target has
 * answered: it resolves when the answer is on its way to the client, and
 * rejects with an UpstreamFailure when the target failed before answering
 * (nothing has been written to `res` then, so the caller can fall back).
 */
export interface TargetDispatcher<T extends Target = Target> {
  serve(req: IncomingMessage, res: ServerResponse, target: T): Promise<void>;
  health(target: T): Promise<TargetHealth>;
}

/** One dispatcher for every target type: a route table can name no target this gateway cannot serve. */
export type TargetDispatchers = { [K in TargetType]: TargetDispatcher<Extract<Target, { type: K }>> };

/** The dispatcher of each target type. */
export const TARGET_DISPATCHERS = Symbol('TARGET_DISPATCHERS');
