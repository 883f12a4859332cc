import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_PAGE_SIZE, WholeNumber } from '@app/contracts';

export const EVE_PAGE_SIZE = 25;

/** Eve's paging parameters: `page` (1-based) and `max_results` (1..100). */
export class DataQueryDto {
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
  max_results: number = EVE_PAGE_SIZE;
}
