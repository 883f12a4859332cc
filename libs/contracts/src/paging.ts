import { Transform, TransformFnParams } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/**
 * A whole number from a query string: decimal digits only. Anything else
 * ("0x10", "1e1", " 5") stays as sent, for IsInt to refuse, where Number()
 * would have read it as some other number.
 */
export function WholeNumber(): PropertyDecorator {
  return Transform(({ value }: TransformFnParams) =>
    typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value,
  );
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;

/** `page` (1-based) and `limit` (1..100) of every paged list. */
export class PageQueryDto {
  @IsOptional()
  @WholeNumber()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page: number = 1;

  @IsOptional()
  @WholeNumber()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;
}

export interface PageLinks {
  self: string;
  next: string | null;
  prev: string | null;
}

export interface Page<T> {
  items: T[];
  page: number;
  limit: number;
  total: number;
  links: PageLinks;
}

export function skipOf(query: { page: number; limit: number }): number {
  return (query.page - 1) * query.limit;
}

/** Builds self/next/prev links for a paged list at `path`, keeping extra query params. */
export function pageLinks(
  path: string,
  query: { page: number; limit: number },
  total: number,
  extra: Record<string, string> = {},
): PageLinks {
  const href = (page: number) =>
    `${path}?${new URLSearchParams({ ...extra, page: String(page), limit: String(query.limit) })}`;
  const lastPage = Math.max(1, Math.ceil(total / query.limit));
  return {
    self: href(query.page),
    next: query.page < lastPage ? href(query.page + 1) : null,
    prev: query.page > 1 ? href(Math.min(query.page - 1, lastPage)) : null,
  };
}
