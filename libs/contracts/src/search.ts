import { IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from './paging';

export const MAX_QUERY_LENGTH = 200;
export const NO_SEARCH_WORDS = 'q must contain at least one letter or digit';

/** `q` plus the usual paging; whether `q` holds any word is the search rule's call. */
export class SearchQueryDto extends PageQueryDto {
  @IsString({ message: 'q must be given: the words to search for' })
  @MaxLength(MAX_QUERY_LENGTH, { message: `q must be at most ${MAX_QUERY_LENGTH} characters` })
  q: string;
}
