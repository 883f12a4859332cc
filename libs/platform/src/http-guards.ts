import type { NextFunction, Request, Response } from 'express';
import { errorBody } from './error-body';

const OPERATOR_LIKE = /[$[\]]/;

/**
 * What is wrong with a parsed query string that tries to smuggle structure or
 * Mongo operators (`q[$gt]=`, `$where=`, repeated keys); undefined when fine.
 * The gateway's message bridge applies the same rule as the HTTP apps.
 */
export function queryProblem(query: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(query)) {
    if (OPERATOR_LIKE.test(key) || (typeof value === 'string' && value.startsWith('$'))) {
      return `query parameter ${key.replace(/[[$].*/, '') || key} must be a plain value`;
    }
    if (typeof value !== 'string') return `query parameter ${key} must be given once`;
  }
  return undefined;
}

/**
 * What is wrong with a raw query string (after the `?`) that does not decode:
 * a broken %-escape, which parsers otherwise pass on half-decoded.
 */
export function encodedQueryProblem(search: string): string | undefined {
  for (const part of search.split('&')) {
    try {
      decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      return 'the query string is not valid percent-encoding';
    }
  }
  return undefined;
}

/** Express middleware: answers 400 for a query that encodedQueryProblem() or queryProblem() rejects. */
export function rejectOperatorQueries(req: Request, res: Response, next: NextFunction): void {
  const at = req.originalUrl.indexOf('?');
  const problem =
    (at === -1 ? undefined : encodedQueryProblem(req.originalUrl.slice(at + 1))) ?? queryProblem(req.query);
  if (problem) res.status(400).json(errorBody(400, problem));
  else next();
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
