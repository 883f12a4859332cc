import type { NextFunction, Request, Response } from 'express';
import { errorBody } from './error-body';

const OPERATOR_LIKE = /[$[\]]/;

/**
 * Rejects query strings that try to smuggle structure or Mongo operators
 * (`q[$gt]=`, `$where=`, repeated keys), before any handler sees them.
 */
export function rejectOperatorQueries(req: Request, res: Response, next: NextFunction): void {
  for (const [key, value] of Object.entries(req.query)) {
    if (OPERATOR_LIKE.test(key) || (typeof value === 'string' && value.startsWith('$'))) {
      res.status(400).json(errorBody(400, `query parameter ${key.replace(/[[$].*/, '') || key} must be a plain value`));
      return;
    }
    if (typeof value !== 'string') {
      res.status(400).json(errorBody(400, `query parameter ${key} must be given once`));
      return;
    }
  }
  next();
}

/** Turns body-parser failures (too large, malformed JSON) into JSON 4xx. */
export function bodyErrorHandler(
  error: { status?: number; type?: string; message?: string },
  _req: Request,
  res: Response,
  next: NextFunction,
): void {
  const status = error.status ?? 500;
  if (status < 400 || status >= 500) return next(error);
  const message =
    error.type === 'entity.too.large'
      ? 'request body is larger than the limit'
      : error.type === 'entity.parse.failed'
        ? 'request body is not valid JSON'
        : (error.message ?? 'invalid request body');
  res.status(status).json(errorBody(status, message));
}
