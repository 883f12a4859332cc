import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DEFAULT_RECOMMENDATIONS } from '@app/domain';
import { IsUserName } from './names';
import { MAX_PAGE_SIZE, WholeNumber } from './paging';

/** Query of GET /recommendations, and the message of the same list. */
export class RecommendationsQueryDto {
  @IsOptional()
  @WholeNumber()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_RECOMMENDATIONS;
}

/** GET /users/:user/recommendations as a message: the path's user plus the query. */
export class UserRecommendationsMessage extends RecommendationsQueryDto {
  @IsUserName()
  user: string;
}
